-- The expired lots with points left of these members (their accounts locked by the caller).
-- $1 text[] member ids, $2 as-of instant.
SELECT id::text, member_id, remaining, expires_at
FROM point_lots
WHERE member_id = ANY ($1::text[]) AND remaining > 0 AND expires_at <= $2
ORDER BY member_id, expires_at, point_lots.id
