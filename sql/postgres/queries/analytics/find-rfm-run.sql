-- A done RFM run whose scores retention still keeps: the one with id $1, or the newest (highest
-- id) when $1 is null. Params: $1 run id (bigint, nullable).
SELECT id::int AS id, as_of, rfm_window_days AS window_days, finished_at, scored
FROM analytics_runs
WHERE state = 'done' AND 'rfm' = ANY (kinds) AND NOT 'rfm' = ANY (pruned)
  AND ($1::bigint IS NULL OR id = $1::bigint)
ORDER BY id DESC
LIMIT 1
