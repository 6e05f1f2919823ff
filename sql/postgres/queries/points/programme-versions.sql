-- The newest versions of the earning rules and the tier ladder: cheap, read once per write
-- group, so a cached programme is re-read only after staff changed it.
SELECT (SELECT max(version) FROM earning_rule_sets) AS rules_version,
       (SELECT max(version) FROM tier_ladders) AS tiers_version
