-- Net spend over the 12 months up to the review: days after (the review's UTC day minus 12
-- months) up to that day. Members without spend have no row. $1 text[] member ids, $2 instant.
SELECT member_id, sum(amount)::text AS spend
FROM member_daily_spend
WHERE member_id = ANY ($1::text[])
  AND day > (($2::timestamptz AT TIME ZONE 'UTC')::date - interval '12 months')::date
  AND day <= ($2::timestamptz AT TIME ZONE 'UTC')::date
GROUP BY member_id
