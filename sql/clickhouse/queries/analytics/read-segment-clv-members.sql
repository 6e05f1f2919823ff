-- One keyset page of a segment's members in one RFM run, narrowed by a CLV filter on the
-- members' values in one CLV run, with those values (GET /v1/segments/:name/members with
-- min_clv, max_clv, min_p_alive, max_p_alive or churn_band). Members without a value in that
-- run are left out. The JSON listing and the CSV export both read this statement, as
-- read-segment-members.sql. The clv_filter slot (in double braces) is replaced by the condition on
-- the clv_scores row `c` (services/analytics/clv-filters.ts builds it from constant text; its
-- values are bound).
-- The caller appends the FORMAT. Params: run_id UInt64, segment String, after String,
-- limit UInt32, clv_run_id UInt64, and the condition's clv_* parameters.
SELECT
  s.member_id AS member_id, s.r AS r, s.f AS f, s.m AS m, s.recency_days AS recency_days,
  s.frequency AS frequency, toDecimalString(s.monetary, 2) AS monetary,
  toDecimalString(c.clv, 2) AS clv,
  if(isFinite(c.p_alive), c.p_alive, NULL) AS p_alive,
  c.churn_band AS churn_band
FROM (
  SELECT member_id, r, f, m, recency_days, frequency, monetary
  FROM rfm_scores
  WHERE run_id = {run_id:UInt64} AND segment = {segment:String} AND member_id > {after:String}
) AS s
INNER JOIN (
  SELECT c.member_id AS member_id, c.clv AS clv, c.p_alive AS p_alive, c.churn_band AS churn_band
  FROM clv_scores AS c
  WHERE c.run_id = {clv_run_id:UInt64} AND {{clv_filter}}
) AS c ON c.member_id = s.member_id
ORDER BY s.member_id
LIMIT {limit:UInt32}
