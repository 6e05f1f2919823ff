-- Drops one run's rows of rfm_segment_sizes (a whole partition: instant, and a no-op when absent).
-- Params: run_id UInt64.
ALTER TABLE rfm_segment_sizes DROP PARTITION {run_id:UInt64}
