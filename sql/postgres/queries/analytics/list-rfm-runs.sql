-- Done RFM runs whose scores retention still keeps, newest first, optionally those as of
-- [$1, $2). Params: $1 from (timestamptz, nullable), $2 before (timestamptz, nullable), $3 limit.
SELECT id::int AS id, as_of, rfm_window_days AS window_days, finished_at, scored
FROM analytics_runs
WHERE state = 'done' AND 'rfm' = ANY (kinds) AND NOT 'rfm' = ANY (pruned)
  AND ($1::timestamptz IS NULL OR as_of >= $1::timestamptz)
  AND ($2::timestamptz IS NULL OR as_of < $2::timestamptz)
ORDER BY id DESC
LIMIT $3
