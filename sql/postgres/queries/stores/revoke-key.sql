-- Revokes a key; a revoked key stays revoked. $1 key id.
UPDATE store_api_keys SET revoked_at = coalesce(revoked_at, now())
WHERE id = $1
RETURNING id, store_id, revoked_at
