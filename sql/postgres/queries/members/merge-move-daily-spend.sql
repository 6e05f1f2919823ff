-- Merge: the source's spend per day is added into the target's days (tiers count both).
-- $1 target member id, $2 source member id. Returns one row per day moved.
WITH moved AS (
  DELETE FROM member_daily_spend WHERE member_id = $2 RETURNING day, amount
)
INSERT INTO member_daily_spend (member_id, day, amount)
SELECT $1, day, amount FROM moved
ON CONFLICT (member_id, day) DO UPDATE SET amount = member_daily_spend.amount + EXCLUDED.amount
RETURNING day
