-- Each member's net spend over the rolling 12 months: days after $2 (the day 12 months before
-- today, UTC). $1 text[] member ids.
SELECT member_id, sum(amount)::text AS spend
FROM member_daily_spend
WHERE member_id = ANY ($1::text[]) AND day > $2::date
GROUP BY member_id
