-- The earning rules in force: the newest version.
SELECT version, rules, created_at, created_by FROM earning_rule_sets ORDER BY version DESC LIMIT 1
