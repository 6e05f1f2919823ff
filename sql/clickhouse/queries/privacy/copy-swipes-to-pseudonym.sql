-- Erasure, step 1 of 2 for `swipes`: a copy of each row of the old card numbers under the
-- pseudonym (card_number is in the ORDER BY key, so it cannot be updated in place). Rows
-- already copied by an earlier run are skipped, so a re-run after a crash adds nothing; the
-- SETTINGS turn off block deduplication, which must not decide this instead (CLICKHOUSE.md
-- trap 1: settings go in the statement). Columns: keep in sync with the migrations (the
-- MATERIALIZED ones are computed again). Parameters: cards Array(String), pseudonym String.
INSERT INTO swipes (journal_seq, store_id, txn_id, card_number, terminal_id, occurred_at, utc_offset_minutes,
                    currency, kind, original_txn_id, total, discount_total, line_count, coupon_codes, received_at)
SELECT journal_seq, store_id, txn_id, {pseudonym:String}, terminal_id, occurred_at, utc_offset_minutes,
       currency, kind, original_txn_id, total, discount_total, line_count, coupon_codes, received_at
FROM swipes
WHERE card_number IN {cards:Array(String)}
  AND (store_id, txn_id) NOT IN (SELECT store_id, txn_id FROM swipes WHERE card_number = {pseudonym:String})
SETTINGS insert_deduplicate = 0
