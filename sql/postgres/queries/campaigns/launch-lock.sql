-- The campaign a launch request is about, locked so two requests at once queue one job
-- (services/campaigns/launch-request.ts). $1 bigint campaign id.
SELECT id, state, launch_job_id
FROM campaigns
WHERE id = $1
FOR UPDATE
