-- Drops one run's rows of rfm_scores (a whole partition: instant, and a no-op when absent).
-- Params: run_id UInt64.
ALTER TABLE rfm_scores DROP PARTITION {run_id:UInt64}
