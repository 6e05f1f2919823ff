-- The journal rows of one batch, in seq order (the order makes a re-sent insert identical).
-- $1 batch id, $2 first seq, $3 last seq.
SELECT seq, store_id, swipe, received_at
FROM ingest_journal
WHERE seq BETWEEN $2 AND $3 AND batch_id = $1
ORDER BY seq
