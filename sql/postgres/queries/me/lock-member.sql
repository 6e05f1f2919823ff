-- Locks a member's row for a change that must not interleave with another (consents,
-- erasure); returns it. $1 member id.
SELECT id, status, merged_into FROM members WHERE id = $1 FOR UPDATE
