-- CLV deciles of one CLV run (GET /v1/clv): the members with a CLV ranked by it, highest first
-- (ties by member id), cut into ten groups as equal as the count allows; decile 1 is the top
-- tenth. With fewer than ten members some deciles are empty and have no row.
-- Params: run_id UInt64.
SELECT
  decile,
  count() AS members,
  toDecimalString(min(clv), 2) AS min_clv,
  toDecimalString(max(clv), 2) AS max_clv,
  toDecimalString(sum(clv), 2) AS total_clv,
  avgIf(p_alive, isFinite(p_alive)) AS mean_p_alive
FROM (
  SELECT
    clv,
    p_alive,
    intDiv((row_number() OVER (ORDER BY clv DESC, member_id) - 1) * 10, count() OVER ()) + 1 AS decile
  FROM clv_scores
  WHERE run_id = {run_id:UInt64} AND clv IS NOT NULL
)
GROUP BY decile
ORDER BY decile
