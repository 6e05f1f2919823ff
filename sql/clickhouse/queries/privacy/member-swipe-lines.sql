-- Every basket line of these cards. Parameters: cards Array(String).
SELECT store_id, txn_id, line_no, card_number, occurred_at, kind, sku, category, quantity, unit_price,
       discount, amount, signed_amount
FROM swipe_lines FINAL
WHERE card_number IN {cards:Array(String)}
ORDER BY store_id, txn_id, line_no
