-- Every ledger entry of these members, oldest first. $1 text[] member ids.
SELECT id::text, member_id, kind, points::text, balance_after::text, reason, source_type, source_id,
       store_id, txn_id, occurred_at, booked_at, detail
FROM points_ledger
WHERE member_id = ANY ($1::text[])
ORDER BY points_ledger.id
