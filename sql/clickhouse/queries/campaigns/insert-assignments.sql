-- Writes a campaign's eligible members, treated or holdout, with their category and expected
-- discount, in one insert (services/campaigns/assign.ts). The audience slot (in double braces) is
-- replaced by audience.sql's constant text; the parameters are audience.sql's.
INSERT INTO campaign_assignments (campaign_id, member_id, grp, category, expected_discount)
SELECT {campaign_id:UInt64}, member_id, grp, category, expected_discount
FROM ({{audience}})
WHERE eligible
