-- Every points lot of these members, with what is left. $1 text[] member ids.
SELECT id::text, member_id, ledger_id::text, points::text, remaining::text, earned_at, expires_at
FROM point_lots
WHERE member_id = ANY ($1::text[])
ORDER BY point_lots.id
