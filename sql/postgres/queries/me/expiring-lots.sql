-- A member's lots with points left that expire after $2 and no later than $3.
-- $1 member id, $2 from (timestamptz), $3 until (timestamptz).
SELECT id::text, earned_at, expires_at, remaining::text
FROM point_lots
WHERE member_id = $1 AND remaining > 0 AND expires_at > $2 AND expires_at <= $3
ORDER BY expires_at, earned_at, id
