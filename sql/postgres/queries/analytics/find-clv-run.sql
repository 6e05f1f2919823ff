-- A done CLV run whose scores retention still keeps: the one with id $1, or the newest (highest
-- id) when $1 is null. Params: $1 run id (bigint, nullable).
SELECT id::int AS id, as_of, clv_horizon_months AS horizon_months, clv_monthly_discount::float8 AS monthly_discount,
       finished_at, valued
FROM analytics_runs
WHERE state = 'done' AND 'clv' = ANY (kinds) AND NOT 'clv' = ANY (pruned)
  AND ($1::bigint IS NULL OR id = $1::bigint)
ORDER BY id DESC
LIMIT 1
