-- Coupons issued in a range (UTC days) and how many of them have been redeemed. Uses
-- coupons_issued_at (0007). Params: $1 from date, $2 to date (both included).
SELECT count(*)::int AS issued, count(*) FILTER (WHERE state = 'redeemed')::int AS redeemed
FROM coupons
WHERE issued_at >= ($1::date)::timestamp AT TIME ZONE 'UTC'
  AND issued_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
