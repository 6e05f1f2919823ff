-- The stored hash and first answer of swipes already in the journal.
-- $1 text[] store ids, $2 text[] txn ids (pairs, same order).
SELECT j.store_id, j.txn_id, j.body_hash, j.answer
FROM ingest_journal j
JOIN unnest($1::text[], $2::text[]) AS k (store_id, txn_id) USING (store_id, txn_id)
