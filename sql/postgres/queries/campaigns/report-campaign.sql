-- The campaign the report reads (campaign-report.ts): its state, window and launch figures.
-- $1: campaign id (bigint).
SELECT id, name, state, valid_from, valid_until, assigned_at, launched_at, treated, holdout
FROM campaigns
WHERE id = $1
