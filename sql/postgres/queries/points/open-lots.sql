-- The lots with points left of these members (their accounts are locked by the caller), and
-- any lots named in $2 even if empty (a cancelled redemption puts points back into them).
-- $1 text[] member ids, $2 bigint[] lot ids.
SELECT id::text, member_id, earned_at, expires_at, remaining
FROM point_lots
WHERE (member_id = ANY ($1::text[]) AND remaining > 0) OR id = ANY ($2::bigint[])
ORDER BY member_id, expires_at, earned_at, point_lots.id
