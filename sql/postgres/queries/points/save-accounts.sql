-- Writes accounts back after booking: balance and tier. $1 JSON array of
--   { member_id, balance, tier, tier_floor, tier_since } (tier_since null: unchanged).
UPDATE point_accounts a
SET balance = t.balance, tier = t.tier, tier_floor = t.tier_floor, tier_since = coalesce(t.tier_since, a.tier_since), updated_at = now()
FROM json_to_recordset($1::json) AS t (member_id text, balance bigint, tier text, tier_floor text, tier_since timestamptz)
WHERE a.member_id = t.member_id
