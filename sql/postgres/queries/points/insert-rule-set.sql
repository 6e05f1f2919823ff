-- A new version of the earning rules. $1 rules (EarningRulesSchema JSON), $2 created at, $3 staff user id.
INSERT INTO earning_rule_sets (rules, created_at, created_by)
VALUES ($1::jsonb, $2, $3)
RETURNING version, rules, created_at, created_by
