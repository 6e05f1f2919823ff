-- bench:segments: the lines of the baskets n in [{from}, {to}).
-- Params: from UInt64, to UInt64.
INSERT INTO swipe_lines (store_id, txn_id, line_no, card_number, occurred_at, kind, sku, category, quantity,
                         unit_price, discount, amount)
SELECT store_id, txn_id, line_no, card_number, occurred_at, kind,
       concat('SKU-', leftPad(toString(sku), 6, '0')), category,
       toDecimal64(quantity, 3) / 1000, toDecimal64(price, 4) / 10000,
       toDecimal64(discount, 2) / 100, toDecimal64(amount, 2) / 100
FROM bench_baskets
ARRAY JOIN skus AS sku, categories AS category, quantities AS quantity, prices AS price, discounts AS discount,
           amounts AS amount, arrayEnumerate(skus) AS line_no
WHERE n >= {from:UInt64} AND n < {to:UInt64}
SETTINGS insert_deduplicate = 0, max_insert_threads = 2
