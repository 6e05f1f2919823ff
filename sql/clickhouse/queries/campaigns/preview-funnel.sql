-- The preview's figures (services/campaigns/preview.ts) in one read of the audience: per
-- category, the members at each step of the funnel, and the expected discount of the treated.
-- Node adds the categories up for the totals. The audience slot (in double braces) is replaced
-- by audience.sql's constant text; the parameters are audience.sql's.
SELECT
  category,
  count() AS audience,
  countIf(consented) AS after_consent,
  countIf(consented AND under_cap) AS after_frequency_cap,
  countIf(eligible) AS after_personalisation,
  countIf(eligible AND grp = 'holdout') AS holdout,
  countIf(eligible AND grp = 'treated') AS treated,
  toDecimalString(sumIf(expected_discount, eligible AND grp = 'treated'), 2) AS treated_expected_discount
FROM ({{audience}})
GROUP BY category
ORDER BY category
