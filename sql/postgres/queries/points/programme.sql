-- The earning rules and tier ladder of the given versions. $1 rules version, $2 tiers version.
SELECT (SELECT rules FROM earning_rule_sets WHERE version = $1) AS rules,
       (SELECT tiers FROM tier_ladders WHERE version = $2) AS tiers
