-- Net spend per UTC day of these members. $1 text[] member ids.
SELECT member_id, to_char(day, 'YYYY-MM-DD') AS day, amount::text
FROM member_daily_spend
WHERE member_id = ANY ($1::text[])
ORDER BY day, member_id
