-- The cards each assigned member of a campaign holds now, from the launch's card map: only
-- assigned members' cards are kept, inside ClickHouse. Params: campaign_id UInt64, snapshot_id UInt64.
INSERT INTO campaign_cards (campaign_id, card_number, member_id)
SELECT {campaign_id:UInt64}, card_number, member_id
FROM campaign_card_map
WHERE snapshot_id = {snapshot_id:UInt64}
  AND member_id IN (SELECT member_id FROM campaign_assignments WHERE campaign_id = {campaign_id:UInt64})
