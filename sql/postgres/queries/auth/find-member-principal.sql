-- A signed-in member, as each request re-reads it: only an active member acts as themselves
-- (a blocked, merged or erased account's tokens stop working at once). $1 member id.
SELECT id FROM members WHERE id = $1 AND status = 'active'
