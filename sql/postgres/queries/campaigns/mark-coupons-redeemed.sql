-- Marks the coupons a write group redeemed (their rows are locked by this transaction).
-- $1 a JSON array of { code, store_id, txn_id, discount_cents, redeemed_at }.
UPDATE coupons c
SET state = 'redeemed', redeemed_at = r.redeemed_at, redeemed_store_id = r.store_id,
    redeemed_txn_id = r.txn_id, discount_cents = r.discount_cents
FROM json_to_recordset($1::json) AS r (code text, store_id text, txn_id text, discount_cents bigint, redeemed_at timestamptz)
WHERE c.code = r.code AND c.state = 'issued'
