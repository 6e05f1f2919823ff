-- A member's net spend over the rolling 12 months, exact (2 dp): the days after today minus
-- 12 months, as the tier rules count it. $1 member id, $2 today (date, UTC).
SELECT coalesce(sum(amount), 0)::numeric(18, 2)::text AS spend
FROM member_daily_spend
WHERE member_id = $1 AND day > ($2::date - interval '12 months')::date
