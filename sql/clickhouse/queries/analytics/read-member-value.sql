-- One member's value in one CLV run (GET /v1/members/:id/value): the history the models saw
-- and the figures of docs/clv.md "Per member". A float that is not a number (a fit that did
-- not converge can leave one) is printed as null in JSON. Params: run_id UInt64, member_id String.
SELECT
  x, tx_days, t_days, m, p_alive, expected_visits_30, expected_visits_90, expected_visits_365,
  expected_spend_per_visit, toDecimalString(clv, 2) AS clv, churn_risk, churn_band
FROM clv_scores
WHERE run_id = {run_id:UInt64} AND member_id = {member_id:String}
