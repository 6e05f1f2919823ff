-- How far issuing got, locked for one chunk's transaction: a second job on the same campaign
-- (a stalled one, a retry) waits here and then sees the chunk done.
-- $1 bigint campaign id.
SELECT state, issued_through, issued
FROM campaigns
WHERE id = $1
FOR UPDATE
