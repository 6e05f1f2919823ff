-- Drops one candidates snapshot (a whole partition: instant, a no-op when absent).
-- Params: snapshot_id UInt64.
ALTER TABLE campaign_candidates DROP PARTITION {snapshot_id:UInt64}
