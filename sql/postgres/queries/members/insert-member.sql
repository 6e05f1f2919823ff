-- Registers a new member, active at once. $1 name, $2 e-mail, $3 phone, $4 birthday (date),
-- $5 preferred store id, $6 secret hash (scrypt) or null, $7 registered at (timestamptz).
INSERT INTO members (status, name, email, phone, birthday, preferred_store_id, secret_hash, created_at, registered_at, updated_at)
VALUES ('active', $1, $2, $3, $4::date, $5, $6, $7, $7, $7)
RETURNING id
