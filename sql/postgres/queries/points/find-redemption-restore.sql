-- The 'restore' entry a cancelled redemption booked (for a repeated cancel's answer).
-- $1 member id, $2 redemption id.
SELECT id::text AS ledger_id, balance_after
FROM points_ledger
WHERE member_id = $1 AND source_type = 'redemption' AND source_id = $2 AND kind = 'restore'
ORDER BY points_ledger.id
LIMIT 1
