-- The stored hash and first answer of swipes already in the journal.
-- $1 store id, $2 text[] txn ids.
SELECT txn_id, body_hash, answer
FROM ingest_journal
WHERE store_id = $1 AND txn_id = ANY ($2::text[])
