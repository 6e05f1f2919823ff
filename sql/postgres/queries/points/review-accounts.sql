-- The next points accounts to review, in member id order; merged and erased members have no
-- tier to keep. $1 only member ids above this ('' from the start), $2 how many.
SELECT a.member_id
FROM point_accounts a
JOIN members m ON m.id = a.member_id
WHERE a.member_id > $1 AND m.status NOT IN ('merged', 'erased')
ORDER BY a.member_id
LIMIT $2
