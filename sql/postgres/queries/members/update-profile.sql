-- Writes a registered member's profile. A new secret ($7 not null) replaces the old one and
-- lifts any sign-in lockout. $1 member id, $2 name, $3 e-mail, $4 phone, $5 birthday (date),
-- $6 preferred store id, $7 new secret hash or null (keep), $8 updated at (timestamptz).
UPDATE members
SET name = $2, email = $3, phone = $4, birthday = $5::date, preferred_store_id = $6,
    secret_hash = coalesce($7, secret_hash),
    failed_sign_ins = CASE WHEN $7::text IS NULL THEN failed_sign_ins ELSE 0 END,
    locked_until = CASE WHEN $7::text IS NULL THEN locked_until END,
    updated_at = $8
WHERE id = $1
