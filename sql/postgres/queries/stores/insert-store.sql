-- Creates a store. $1 id (sto_…), $2 code, $3 name.
INSERT INTO stores (id, code, name) VALUES ($1, $2, $3)
RETURNING id, code, name, created_at
