-- The versions of the earning rules, newest first, keyset on version.
-- $1 only versions below this (null: from the newest), $2 page size.
SELECT version, created_at, created_by
FROM earning_rule_sets
WHERE $1::int IS NULL OR version < $1::int
ORDER BY version DESC
LIMIT $2
