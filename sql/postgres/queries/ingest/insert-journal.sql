-- Appends accepted swipes to the journal; a (store, txn_id) already there is skipped and not
-- returned, so the caller can tell a retry from a first post.
-- $1 store id; $2 a JSON array with one object per swipe:
--   { txn_id, kind, original_txn_id, card_number, body_hash, swipe, answer, ch_swipe, ch_lines }.
-- One JSON document instead of eight parameter arrays: nested JSON needs no second escaping.
INSERT INTO ingest_journal (store_id, txn_id, kind, original_txn_id, card_number, body_hash, swipe, answer, ch_swipe, ch_lines)
SELECT $1, t.txn_id, t.kind, t.original_txn_id, t.card_number, t.body_hash, t.swipe, t.answer, t.ch_swipe, t.ch_lines
FROM json_to_recordset($2::json)
  AS t (txn_id text, kind text, original_txn_id text, card_number text, body_hash text, swipe json, answer json,
        ch_swipe text, ch_lines text)
ON CONFLICT (store_id, txn_id) DO NOTHING
RETURNING txn_id
