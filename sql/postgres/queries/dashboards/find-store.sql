-- One store by id. Params: $1 store id.
SELECT id, code, name FROM stores WHERE id = $1
