-- Erasure, step 2 of 2 for `swipes`: deletes the rows that now have a copy under the
-- pseudonym ((store_id, txn_id) is unique to one card, as in the journal). The condition names
-- only the pseudonym, never the old card numbers, because ClickHouse keeps a mutation's text
-- (system.mutations, files beside the table). A mutation rather than a lightweight DELETE:
-- it rewrites the parts, so the old numbers leave the disk, not only query results.
-- mutations_sync = 2 waits for it (in the statement: CLICKHOUSE.md trap 1).
-- Parameters: pseudonym String.
ALTER TABLE swipes DELETE
WHERE card_number != {pseudonym:String}
  AND (store_id, txn_id) IN (SELECT store_id, txn_id FROM swipes WHERE card_number = {pseudonym:String})
SETTINGS mutations_sync = 2
