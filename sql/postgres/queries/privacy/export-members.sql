-- The member rows of an export: everything but the secret hash. $1 text[] member ids.
SELECT id, status, name, email, phone, to_char(birthday, 'YYYY-MM-DD') AS birthday, preferred_store_id,
       merged_into, secret_hash IS NOT NULL AS has_secret, failed_sign_ins, locked_until,
       created_at, registered_at, updated_at, erased_at
FROM members
WHERE id = ANY ($1::text[])
ORDER BY created_at, id
