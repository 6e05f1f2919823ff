-- Every swipe of these cards, one row per swipe (FINAL collapses a duplicate that slipped past
-- the insert deduplication). Parameters: cards Array(String).
SELECT journal_seq, store_id, txn_id, card_number, terminal_id, occurred_at, utc_offset_minutes, currency,
       kind, original_txn_id, total, signed_total, discount_total, line_count, coupon_codes, received_at
FROM swipes FINAL
WHERE card_number IN {cards:Array(String)}
ORDER BY occurred_at, store_id, txn_id
