-- Sets a store's targets for the months given (others are left as they are).
-- Params: $1 store id, $2 months (date[], first days), $3 sales (numeric[]), $4 staff user id.
INSERT INTO store_targets (store_id, month, sales, updated_by)
SELECT $1, month, sales, $4 FROM unnest($2::date[], $3::numeric[]) AS t (month, sales)
ON CONFLICT (store_id, month) DO UPDATE SET sales = excluded.sales, updated_at = now(), updated_by = excluded.updated_by
