-- Removes an earlier launch's campaign cards, as delete-assignments.sql. Params: campaign_id UInt64.
ALTER TABLE campaign_cards DELETE WHERE campaign_id = {campaign_id:UInt64} SETTINGS mutations_sync = 2
