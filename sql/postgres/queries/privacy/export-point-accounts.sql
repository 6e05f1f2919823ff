-- Points accounts of these members. $1 text[] member ids.
SELECT member_id, balance::text, tier, tier_floor, tier_since, updated_at
FROM point_accounts
WHERE member_id = ANY ($1::text[])
ORDER BY member_id
