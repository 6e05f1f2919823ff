-- Reserves blocks of 1,024 ids (points_id_blocks) for new ledger entries and lots, so lots
-- and draws can name their entry in the same round of inserts. $1 how many blocks.
SELECT array_agg(nextval('points_id_blocks')::text) AS blocks FROM generate_series(1, $1::int)
