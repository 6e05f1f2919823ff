-- Rows one run wrote, per table. Params: run_id UInt64.
SELECT
  (SELECT count() FROM member_profiles WHERE run_id = {run_id:UInt64}) AS profiles,
  (SELECT count() FROM rfm_scores WHERE run_id = {run_id:UInt64}) AS scored,
  (SELECT count() FROM clv_scores WHERE run_id = {run_id:UInt64}) AS valued
