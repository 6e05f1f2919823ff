-- Claims the next batch: up to $1 journal rows after the cursor (the newest batch's end), in
-- (txid, seq) order, among rows written by transactions older than every running one, so no
-- row can still appear inside the range. Returns nothing when there is nothing to ship, or
-- when another shipper claimed the same range first (UNIQUE (after_txid, after_seq)).
WITH cursor AS (
  SELECT coalesce(max(last_txid), '0'::xid8) AS txid, coalesce(max(last_seq), 0) AS seq
  FROM (SELECT last_txid, last_seq FROM ship_batches ORDER BY id DESC LIMIT 1) newest
), candidates AS (
  SELECT j.txid, j.seq
  FROM ingest_journal j, cursor c
  WHERE (j.txid, j.seq) > (c.txid, c.seq)
    AND j.txid < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY j.txid, j.seq
  LIMIT $1
), span AS (
  SELECT count(*)::int AS row_count,
         (array_agg(txid ORDER BY txid DESC, seq DESC))[1] AS last_txid,
         (array_agg(seq ORDER BY txid DESC, seq DESC))[1] AS last_seq
  FROM candidates
)
INSERT INTO ship_batches (after_txid, after_seq, last_txid, last_seq, row_count)
SELECT c.txid, c.seq, s.last_txid, s.last_seq, s.row_count
FROM cursor c, span s
WHERE s.row_count > 0
ON CONFLICT (after_txid, after_seq) DO NOTHING
RETURNING id, after_txid::text, after_seq, last_txid::text, last_seq, row_count
