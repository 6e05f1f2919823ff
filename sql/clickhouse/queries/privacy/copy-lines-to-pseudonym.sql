-- Erasure, step 1 of 2 for `swipe_lines`: as copy-swipes-to-pseudonym.sql.
-- Parameters: cards Array(String), pseudonym String.
INSERT INTO swipe_lines (store_id, txn_id, line_no, card_number, occurred_at, kind, sku, category, quantity,
                         unit_price, discount, amount)
SELECT store_id, txn_id, line_no, {pseudonym:String}, occurred_at, kind, sku, category, quantity,
       unit_price, discount, amount
FROM swipe_lines
WHERE card_number IN {cards:Array(String)}
  AND (store_id, txn_id, line_no) NOT IN (SELECT store_id, txn_id, line_no FROM swipe_lines WHERE card_number = {pseudonym:String})
SETTINGS insert_deduplicate = 0
