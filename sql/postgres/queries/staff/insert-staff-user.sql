-- Creates a staff user. $1 id (usr_…), $2 e-mail, $3 name, $4 password hash (scrypt),
-- $5 text[] roles.
INSERT INTO staff_users (id, email, name, password_hash, roles)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, email, name, roles, created_at, disabled_at, locked_until
