-- One staff user, locked for a change. $1 user id.
SELECT id, email, name, roles, created_at, disabled_at, locked_until
FROM staff_users
WHERE id = $1
FOR UPDATE
