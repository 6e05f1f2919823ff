-- Turns an anonymous member (a card collecting points) into a registered one, keeping its id
-- and so its history. $1 member id, $2 name, $3 e-mail, $4 phone, $5 birthday (date),
-- $6 preferred store id, $7 secret hash or null, $8 registered at (timestamptz).
UPDATE members
SET status = 'active', name = $2, email = $3, phone = $4, birthday = $5::date, preferred_store_id = $6,
    secret_hash = $7, registered_at = $8, updated_at = $8
WHERE id = $1 AND status = 'anonymous'
RETURNING id
