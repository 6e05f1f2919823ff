-- Writes a staff user's name, roles and disabled time. $1 user id, $2 name, $3 text[] roles,
-- $4 disabled_at (timestamptz or null).
UPDATE staff_users
SET name = $2, roles = $3, disabled_at = $4
WHERE id = $1
RETURNING id, email, name, roles, created_at, disabled_at, locked_until
