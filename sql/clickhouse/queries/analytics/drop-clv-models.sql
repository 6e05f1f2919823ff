-- Drops one run's rows of clv_models (a whole partition: instant, and a no-op when absent).
-- Params: run_id UInt64.
ALTER TABLE clv_models DROP PARTITION {run_id:UInt64}
