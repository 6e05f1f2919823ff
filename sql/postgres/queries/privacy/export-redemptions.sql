-- Redemptions of these members. $1 text[] member ids.
SELECT id, store_id, request_id, member_id, card_number, points::text, ledger_id::text, status,
       created_at, cancelled_at
FROM redemptions
WHERE member_id = ANY ($1::text[])
ORDER BY created_at, id
