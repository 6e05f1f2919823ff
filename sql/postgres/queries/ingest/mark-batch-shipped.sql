-- Marks a batch as safely in ClickHouse. $1 batch id.
UPDATE ship_batches SET shipped_at = now() WHERE id = $1 AND shipped_at IS NULL
