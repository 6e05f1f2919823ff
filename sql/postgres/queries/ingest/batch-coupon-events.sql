-- One batch's coupon redemptions as ClickHouse `coupon_events` TabSeparated text (columns:
-- clickhouse-rows.ts COUPON_EVENT_COLUMNS), from the coupons applied in each stored answer
-- (redeem-coupons.ts), the member from the coupon. In (txid, seq, position) order, so a batch
-- re-sent after a crash is the same text under the same dedup token. Codes, ids and store ids
-- are letters, digits and . _ : / - only, so need no TSV escaping.
-- $1 after_txid, $2 after_seq, $3 last_txid, $4 last_seq.
SELECT string_agg(
         concat_ws(E'\t', c.campaign_id, 'redeemed', c.code, c.member_id,
                   replace(left(j.swipe->>'occurred_at', 23), 'T', ' '), j.store_id, j.txn_id, o.item->>'discount'),
         E'\n' ORDER BY j.txid, j.seq, o.n) AS events
FROM ingest_journal j
CROSS JOIN LATERAL json_array_elements(j.answer->'coupons') WITH ORDINALITY AS o (item, n)
JOIN coupons c ON c.code = o.item->>'code'
WHERE (j.txid, j.seq) > ($1::xid8, $2::bigint) AND (j.txid, j.seq) <= ($3::xid8, $4::bigint)
  AND j.kind = 'sale'
  AND o.item->>'status' = 'applied'
