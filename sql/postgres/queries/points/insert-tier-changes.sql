-- Records tier changes. $1 JSON array of { member_id, from_tier, to_tier, change, spend_12m }.
INSERT INTO tier_changes (member_id, from_tier, to_tier, change, spend_12m)
SELECT t.member_id, t.from_tier, t.to_tier, t.change, t.spend_12m
FROM json_to_recordset($1::json) AS t (member_id text, from_tier text, to_tier text, change text, spend_12m numeric)
