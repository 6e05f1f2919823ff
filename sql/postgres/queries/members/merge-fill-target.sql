-- Merge: the target takes the source's personal data only where it has none of its own.
-- $1 target member id, $2 name, $3 e-mail, $4 phone, $5 birthday (date), $6 preferred store id,
-- $7 when (timestamptz).
UPDATE members
SET name = coalesce(name, $2), email = coalesce(email, $3), phone = coalesce(phone, $4),
    birthday = coalesce(birthday, $5::date), preferred_store_id = coalesce(preferred_store_id, $6), updated_at = $7
WHERE id = $1
