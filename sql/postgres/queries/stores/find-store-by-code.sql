-- A store by the retailer's own number. $1 code.
SELECT id, code, name, created_at FROM stores WHERE code = $1
