-- The oldest batch claimed but not yet marked shipped (a crash or a ClickHouse outage left it).
SELECT id, first_seq, last_seq FROM ship_batches WHERE shipped_at IS NULL ORDER BY id LIMIT 1
