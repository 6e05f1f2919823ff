-- What a cancelled redemption's cancel booked (for a repeated cancel's answer): the balance
-- after its last entry, and the points that expired at once (restored into expired lots).
-- $1 member id, $2 redemption id.
SELECT (array_agg(balance_after ORDER BY points_ledger.id DESC))[1] AS balance_after,
       coalesce(-sum(points) FILTER (WHERE kind = 'expire'), 0) AS expired
FROM points_ledger
WHERE member_id = $1 AND source_type = 'redemption' AND source_id = $2 AND kind IN ('restore', 'expire')
