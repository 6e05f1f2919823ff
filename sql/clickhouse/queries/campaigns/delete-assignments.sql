-- Removes an earlier assignment of a campaign (a relaunch after a crash redoes it), waiting
-- until the rows are gone so the new insert is never mixed with them. Params: campaign_id UInt64.
ALTER TABLE campaign_assignments DELETE WHERE campaign_id = {campaign_id:UInt64} SETTINGS mutations_sync = 2
