-- Appends accepted swipes to the journal, and records cards seen for the first time as
-- anonymous cards, in one statement (atomic on its own: a post of sales needs no explicit
-- transaction). A (store, txn_id) already in the journal is skipped and not returned, so the
-- caller can tell a retry from a first post. Rows may belong to several stores (group commit).
-- $1 a JSON array with one object per swipe:
--    { store_id, txn_id, kind, original_txn_id, card_number, body_hash, swipe, answer, ch_swipe, ch_lines }
--    (one JSON document instead of many parameter arrays: nested JSON needs no second escaping);
-- $2 text[] the distinct card numbers, sorted so concurrent writers lock them in one order,
-- $3 text[] the store each card was first seen at (same order).
WITH new_cards AS (
  INSERT INTO cards (card_number, first_store_id)
  SELECT c.card, c.store FROM unnest($2::text[], $3::text[]) AS c (card, store)
  ON CONFLICT (card_number) DO NOTHING
)
INSERT INTO ingest_journal (store_id, txn_id, kind, original_txn_id, card_number, body_hash, swipe, answer, ch_swipe, ch_lines)
SELECT t.store_id, t.txn_id, t.kind, t.original_txn_id, t.card_number, t.body_hash, t.swipe, t.answer, t.ch_swipe, t.ch_lines
FROM json_to_recordset($1::json)
  AS t (store_id text, txn_id text, kind text, original_txn_id text, card_number text, body_hash text,
        swipe json, answer json, ch_swipe text, ch_lines text)
ON CONFLICT (store_id, txn_id) DO NOTHING
RETURNING store_id, txn_id
