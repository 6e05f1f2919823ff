-- A campaign's assigned members by group. Params: campaign_id UInt64.
SELECT countIf(grp = 'treated') AS treated, countIf(grp = 'holdout') AS holdout
FROM campaign_assignments FINAL
WHERE campaign_id = {campaign_id:UInt64}
