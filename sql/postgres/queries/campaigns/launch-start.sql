-- A draft (or a launch whose job is gone) moves to 'launching' with the job that will run it.
-- $1 bigint campaign id, $2 text job id (queue.id), $3 timestamptz now.
UPDATE campaigns
SET state = 'launching', launch_job_id = $2, updated_at = $3
WHERE id = $1 AND state IN ('draft', 'launching')
