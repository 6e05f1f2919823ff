-- Appends accepted swipes to the journal. A (store, txn_id) already there is skipped and not
-- returned, so the caller can tell a retry from a first post. Rows may belong to several
-- stores (group commit). Their cards exist already (points/ensure-cards.sql, same transaction).
-- $1 a JSON array with one object per swipe:
--    { store_id, txn_id, kind, original_txn_id, card_number, body_hash, swipe, answer, ch_swipe, ch_lines }
--    (one JSON document instead of many parameter arrays: nested JSON needs no second escaping).
INSERT INTO ingest_journal (store_id, txn_id, kind, original_txn_id, card_number, body_hash, swipe, answer, ch_swipe, ch_lines)
SELECT t.store_id, t.txn_id, t.kind, t.original_txn_id, t.card_number, t.body_hash, t.swipe, t.answer, t.ch_swipe, t.ch_lines
FROM json_to_recordset($1::json)
  AS t (store_id text, txn_id text, kind text, original_txn_id text, card_number text, body_hash text,
        swipe json, answer json, ch_swipe text, ch_lines text)
ON CONFLICT (store_id, txn_id) DO NOTHING
RETURNING store_id, txn_id
