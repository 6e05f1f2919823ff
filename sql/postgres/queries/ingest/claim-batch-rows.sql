-- Claims the oldest unclaimed journal rows for a batch and records the batch's seq range.
-- $1 batch id, $2 the most rows to claim.
WITH claimable AS (
  SELECT seq FROM ingest_journal WHERE batch_id IS NULL ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE ingest_journal j SET batch_id = $1 FROM claimable c WHERE j.seq = c.seq RETURNING j.seq
)
UPDATE ship_batches
SET first_seq = (SELECT min(seq) FROM claimed),
    last_seq = (SELECT max(seq) FROM claimed),
    row_count = (SELECT count(*) FROM claimed)
WHERE id = $1
RETURNING id, first_seq, last_seq, row_count
