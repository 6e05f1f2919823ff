-- bench:segments: the baskets n in [{from}, {to}) as swipes, the columns the shipper writes.
-- Params: from UInt64, to UInt64.
INSERT INTO swipes (journal_seq, store_id, txn_id, card_number, terminal_id, occurred_at, utc_offset_minutes,
                    currency, kind, original_txn_id, total, discount_total, line_count, coupon_codes, received_at)
SELECT n + 1, store_id, txn_id, card_number, terminal_id, occurred_at, utc_offset_minutes,
       'EUR', kind, original_txn_id,
       toDecimal64(arraySum(amounts), 2) / 100,
       toDecimal64(arraySum(discounts), 2) / 100,
       length(skus), coupon_codes, occurred_at + toIntervalSecond(5)
FROM bench_baskets
WHERE n >= {from:UInt64} AND n < {to:UInt64}
SETTINGS insert_deduplicate = 0, max_insert_threads = 2
