-- The sale a return names, locked so that concurrent returns against it are checked one at
-- a time. $1 store id, $2 the sale's txn id.
SELECT kind, card_number, swipe
FROM ingest_journal
WHERE store_id = $1 AND txn_id = $2
FOR UPDATE
