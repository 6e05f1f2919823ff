-- Every store with its count of live keys.
SELECT s.id, s.code, s.name, s.created_at,
       count(k.id) FILTER (WHERE k.revoked_at IS NULL)::int AS live_keys
FROM stores s LEFT JOIN store_api_keys k ON k.store_id = s.id
GROUP BY s.id ORDER BY s.code
