-- Drops one run's rows of clv_scores (a whole partition: instant, and a no-op when absent).
-- Params: run_id UInt64.
ALTER TABLE clv_scores DROP PARTITION {run_id:UInt64}
