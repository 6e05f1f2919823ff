-- Records a tier change (a merge that gives the target the source's higher tier), with the
-- target's net spend over the 12 months before $5. $1 member id, $2 from tier, $3 to tier,
-- $4 change ('upgrade', …), $5 when (timestamptz).
INSERT INTO tier_changes (member_id, from_tier, to_tier, change, spend_12m, at)
SELECT $1, $2, $3, $4, coalesce(sum(amount), 0), $5
FROM member_daily_spend
WHERE member_id = $1 AND day > ($5::timestamptz AT TIME ZONE 'UTC')::date - interval '12 months'
