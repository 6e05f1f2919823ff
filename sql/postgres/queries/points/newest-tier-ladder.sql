-- The tier ladder in force: the newest version.
SELECT version, tiers, created_at, created_by FROM tier_ladders ORDER BY version DESC LIMIT 1
