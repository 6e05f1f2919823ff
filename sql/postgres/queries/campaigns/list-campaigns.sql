-- Campaigns, newest first, one keyset page: ids below $1 (null: from the newest), in state $2
-- (null: any), at most $3 rows. Params: $1 before id (bigint, nullable), $2 state (nullable), $3 limit.
SELECT * FROM campaigns
WHERE ($1::bigint IS NULL OR id < $1::bigint) AND ($2::text IS NULL OR state = $2::text)
ORDER BY id DESC
LIMIT $3
