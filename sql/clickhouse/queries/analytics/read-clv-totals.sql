-- Members, members without a CLV (no usable spend model, or a value that is not a finite
-- number), total CLV and mean P(alive) of one CLV run (GET /v1/clv): one row per churn band
-- with members, and one row for the whole run, whose band is 'all'. A P(alive) that is not
-- a number is left out of the means. Params: run_id UInt64.
SELECT
  if(grouping(churn_band) = 1, 'all', churn_band) AS band,
  count() AS members,
  countIf(clv IS NULL) AS without_clv,
  toDecimalString(ifNull(sum(clv), 0), 2) AS total_clv,
  avgIf(p_alive, isFinite(p_alive)) AS mean_p_alive
FROM clv_scores
WHERE run_id = {run_id:UInt64}
GROUP BY GROUPING SETS ((churn_band), ())
