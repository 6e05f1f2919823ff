-- Records a run before it writes anything. Params: $1 kinds text[], $2 as_of, $3 profile window
-- days, $4 RFM window days, $5 CLV horizon months, $6 CLV monthly discount (each null when its
-- kind is not run), $7 job id.
INSERT INTO analytics_runs (kinds, as_of, profile_window_days, rfm_window_days, clv_horizon_months, clv_monthly_discount, job_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id::int AS id
