-- Drops one launch's card map (a whole partition). Params: snapshot_id UInt64.
ALTER TABLE campaign_card_map DROP PARTITION {snapshot_id:UInt64}
