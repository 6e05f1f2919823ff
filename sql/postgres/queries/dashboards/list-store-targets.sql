-- A store's targets, oldest month first. Params: $1 store id.
SELECT to_char(month, 'YYYY-MM') AS month, sales::text AS sales
FROM store_targets WHERE store_id = $1 ORDER BY month
