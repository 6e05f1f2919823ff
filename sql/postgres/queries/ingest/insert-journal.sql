-- Appends accepted swipes to the journal; a (store, txn_id) already there is skipped and not
-- returned, so the caller can tell a retry from a first post.
-- $1 store id; arrays of one element per swipe: $2 txn_id, $3 kind, $4 original_txn_id,
-- $5 card_number, $6 body_hash, $7 swipe (JSON text), $8 answer (JSON text).
INSERT INTO ingest_journal (store_id, txn_id, kind, original_txn_id, card_number, body_hash, swipe, answer)
SELECT $1, t.txn_id, t.kind, t.original_txn_id, t.card_number, t.body_hash, t.swipe::json, t.answer::json
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
  AS t (txn_id, kind, original_txn_id, card_number, body_hash, swipe, answer)
ON CONFLICT (store_id, txn_id) DO NOTHING
RETURNING txn_id
