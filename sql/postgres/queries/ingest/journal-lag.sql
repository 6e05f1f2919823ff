-- Journal rows not yet in ClickHouse, and the age in seconds of the oldest of them.
SELECT
  (SELECT count(*) FROM ingest_journal WHERE batch_id IS NULL)
    + (SELECT coalesce(sum(row_count), 0) FROM ship_batches WHERE shipped_at IS NULL) AS rows,
  coalesce(extract(epoch FROM now() - least(
    (SELECT min(received_at) FROM ingest_journal WHERE batch_id IS NULL),
    (SELECT min(claimed_at) FROM ship_batches WHERE shipped_at IS NULL))), 0)::float8 AS oldest_seconds
