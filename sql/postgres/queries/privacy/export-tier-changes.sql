-- Tier changes of these members. $1 text[] member ids.
SELECT id::text, member_id, from_tier, to_tier, change, spend_12m::text, at
FROM tier_changes
WHERE member_id = ANY ($1::text[])
ORDER BY tier_changes.id
