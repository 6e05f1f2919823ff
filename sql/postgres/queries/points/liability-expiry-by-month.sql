-- Points left in lots by the UTC month in which they expire, from $1 on.
-- $1 as-of instant.
SELECT to_char(date_trunc('month', expires_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, sum(remaining)::text AS points
FROM point_lots
WHERE remaining > 0 AND expires_at > $1
GROUP BY 1
ORDER BY 1
