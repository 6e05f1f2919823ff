-- Adds a till key to a store. $1 key id, $2 store id, $3 hex SHA-256 of the secret.
INSERT INTO store_api_keys (id, store_id, secret_hash) VALUES ($1, $2, $3)
RETURNING id, store_id, created_at
