-- Erasure, step 2 of 2 for `swipe_lines`: as delete-swipe-originals.sql.
-- Parameters: pseudonym String.
ALTER TABLE swipe_lines DELETE
WHERE card_number != {pseudonym:String}
  AND (store_id, txn_id, line_no) IN (SELECT store_id, txn_id, line_no FROM swipe_lines WHERE card_number = {pseudonym:String})
SETTINGS mutations_sync = 2
