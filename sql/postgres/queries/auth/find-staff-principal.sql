-- A signed-in staff user, as each request re-reads it (a disabled user stops at once).
-- $1 user id.
SELECT id, email, name, roles FROM staff_users WHERE id = $1 AND disabled_at IS NULL
