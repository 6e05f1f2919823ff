-- Locks members' rows in id order (every writer locking several members uses this order, so
-- two merges cannot deadlock each other). $1 text[] member ids.
SELECT id, status, merged_into, name, email, phone, birthday::text AS birthday, preferred_store_id
FROM members
WHERE id = ANY ($1::text[])
ORDER BY id
FOR UPDATE
