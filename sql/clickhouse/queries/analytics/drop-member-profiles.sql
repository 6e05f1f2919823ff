-- Drops one run's rows of member_profiles (a whole partition: instant, and a no-op when absent).
-- Params: run_id UInt64.
ALTER TABLE member_profiles DROP PARTITION {run_id:UInt64}
