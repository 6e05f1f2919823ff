-- Adds net spend to members' days (a return subtracts on its sale's day).
-- $1 JSON array of { member_id, day, amount }.
INSERT INTO member_daily_spend (member_id, day, amount)
SELECT t.member_id, t.day, sum(t.amount)
FROM json_to_recordset($1::json) AS t (member_id text, day date, amount numeric)
GROUP BY t.member_id, t.day
ORDER BY t.member_id, t.day
ON CONFLICT (member_id, day) DO UPDATE SET amount = member_daily_spend.amount + excluded.amount
