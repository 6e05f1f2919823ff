-- The next members, in member id order, holding points in lots that have expired by $1.
-- $1 as-of instant, $2 only member ids above this ('' from the start), $3 how many.
SELECT DISTINCT member_id
FROM point_lots
WHERE remaining > 0 AND expires_at <= $1 AND member_id > $2
ORDER BY member_id
LIMIT $3
