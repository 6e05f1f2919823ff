-- Removes the personal data of an erased member and of the members merged into them. The
-- member becomes 'erased'; merged ones stay 'merged' (their link keeps the ledger together).
-- Ids, dates of joining, points and spend stay: they are pseudonymous.
-- $1 text[] member ids, $2 the erased member's id, $3 now.
UPDATE members
SET status = CASE WHEN id = $2 THEN 'erased' ELSE status END,
    name = NULL, email = NULL, phone = NULL, birthday = NULL, preferred_store_id = NULL,
    secret_hash = NULL, failed_sign_ins = 0, locked_until = NULL,
    erased_at = $3::timestamptz, updated_at = $3::timestamptz
WHERE id = ANY ($1::text[])
