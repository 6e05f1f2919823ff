-- Breakage: points expired, by the UTC month of their expiry (the 'expire' entry's
-- occurred_at), over [$1, $2). Uses points_ledger_expired (migration 0004).
-- $1 from instant, $2 to instant.
SELECT to_char(date_trunc('month', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, (-sum(points))::text AS points
FROM points_ledger
WHERE kind = 'expire' AND occurred_at >= $1 AND occurred_at < $2
GROUP BY 1
ORDER BY 1
