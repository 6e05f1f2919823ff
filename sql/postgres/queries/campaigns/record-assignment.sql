-- The assignment is written (ClickHouse campaign_assignments): record its counts and the runs
-- the audience was read from. Once only: a relaunch finds assigned_at set and skips the stage.
-- $1 bigint campaign id, $2 timestamptz now, $3 treated, $4 holdout, $5..$7 profile, RFM, CLV run ids (NULL when none).
UPDATE campaigns
SET assigned_at = $2, treated = $3, holdout = $4, profile_run_id = $5, rfm_run_id = $6, clv_run_id = $7, updated_at = $2
WHERE id = $1 AND assigned_at IS NULL
