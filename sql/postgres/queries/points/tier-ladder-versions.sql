-- The versions of the tier ladder, newest first, keyset on version.
-- $1 only versions below this (null: from the newest), $2 page size.
SELECT version, created_at, created_by
FROM tier_ladders
WHERE $1::int IS NULL OR version < $1::int
ORDER BY version DESC
LIMIT $2
