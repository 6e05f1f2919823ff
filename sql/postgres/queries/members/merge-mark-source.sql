-- Merge: the source becomes 'merged' into the target and keeps no personal data or secret
-- (its sign-in stops; merge-fill-target.sql gives the target what it lacked).
-- $1 source member id, $2 target member id, $3 when (timestamptz).
UPDATE members
SET status = 'merged', merged_into = $2, name = NULL, email = NULL, phone = NULL, birthday = NULL,
    preferred_store_id = NULL, secret_hash = NULL, failed_sign_ins = 0, locked_until = NULL, updated_at = $3
WHERE id = $1
