-- The tier ladder in force: the newest version. No parameters.
SELECT version, tiers FROM tier_ladders ORDER BY version DESC LIMIT 1
