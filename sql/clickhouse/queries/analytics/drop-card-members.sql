-- Drops one run's rows of card_members (a whole partition: instant, and a no-op when absent).
-- Params: run_id UInt64.
ALTER TABLE card_members DROP PARTITION {run_id:UInt64}
