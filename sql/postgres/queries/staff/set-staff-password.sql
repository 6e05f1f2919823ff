-- Sets a staff user's password (admin CLI) and lifts any lockout. $1 e-mail (case-insensitive),
-- $2 password hash (scrypt).
UPDATE staff_users
SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL
WHERE lower(email) = lower($1)
RETURNING id, email, name, roles, created_at, disabled_at, locked_until
