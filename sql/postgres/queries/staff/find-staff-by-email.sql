-- A staff user signing in, by e-mail (case-insensitive), with what the sign-in checks.
-- $1 e-mail.
SELECT id, email, name, roles, password_hash, disabled_at
FROM staff_users
WHERE lower(email) = lower($1)
