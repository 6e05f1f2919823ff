-- Journal rows not yet in ClickHouse (after the cursor, or in a batch not marked shipped) and
-- the age in seconds of the oldest of them.
WITH cursor AS (
  SELECT coalesce(max(last_txid), '0'::xid8) AS txid, coalesce(max(last_seq), 0) AS seq
  FROM (SELECT last_txid, last_seq FROM ship_batches ORDER BY id DESC LIMIT 1) newest
), unclaimed AS (
  SELECT count(*) AS n, min(received_at) AS oldest
  FROM ingest_journal j, cursor c WHERE (j.txid, j.seq) > (c.txid, c.seq)
), unshipped AS (
  SELECT coalesce(sum(row_count), 0) AS n, min(claimed_at) AS oldest FROM ship_batches WHERE shipped_at IS NULL
)
SELECT (unclaimed.n + unshipped.n)::bigint AS rows,
       coalesce(extract(epoch FROM now() - least(unclaimed.oldest, unshipped.oldest)), 0)::float8 AS oldest_seconds
FROM unclaimed, unshipped
