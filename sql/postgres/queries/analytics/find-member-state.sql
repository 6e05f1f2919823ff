-- Whether a member exists, and whom a merged one was merged into (no personal data).
-- Params: $1 member id.
SELECT id, status, merged_into FROM members WHERE id = $1
