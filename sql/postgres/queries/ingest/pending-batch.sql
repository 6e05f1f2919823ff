-- The oldest batch claimed but not yet marked shipped (a crash or a ClickHouse outage left it).
SELECT id, after_txid::text, after_seq, last_txid::text, last_seq, row_count
FROM ship_batches WHERE shipped_at IS NULL ORDER BY id LIMIT 1
