-- Points issued ('earn' entries) and redeemed ('redeem' entries less the 'restore' entries that
-- gave cancelled redemptions back) per UTC day, by when it happened. Uses points_ledger_occurred
-- (0007). Params: $1 from date, $2 to date (both included).
SELECT to_char((occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
       coalesce(sum(points) FILTER (WHERE kind = 'earn'), 0)::text AS issued,
       coalesce(-sum(points) FILTER (WHERE kind IN ('redeem', 'restore')), 0)::text AS redeemed
FROM points_ledger
WHERE occurred_at >= ($1::date)::timestamp AT TIME ZONE 'UTC'
  AND occurred_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
GROUP BY 1
ORDER BY 1
