-- Every staff user, oldest first (a shop's staff is a few hundred at most). No parameters.
SELECT id, email, name, roles, created_at, disabled_at, locked_until
FROM staff_users
ORDER BY created_at, id
