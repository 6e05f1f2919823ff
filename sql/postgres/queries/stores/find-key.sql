-- The key a till presents, with its store. $1 key id.
SELECT k.id, k.store_id, k.secret_hash, k.scopes, k.revoked_at
FROM store_api_keys k
WHERE k.id = $1
