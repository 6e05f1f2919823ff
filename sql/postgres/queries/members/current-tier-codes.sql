-- The tier codes of the ladder in force (the newest version), lowest first. No parameters.
SELECT e.tier ->> 'code' AS code
FROM (SELECT tiers FROM tier_ladders ORDER BY version DESC LIMIT 1) l,
     jsonb_array_elements(l.tiers) WITH ORDINALITY AS e (tier, n)
ORDER BY e.n
