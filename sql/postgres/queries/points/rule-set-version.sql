-- One version of the earning rules. $1 version.
SELECT version, rules, created_at, created_by FROM earning_rule_sets WHERE version = $1
