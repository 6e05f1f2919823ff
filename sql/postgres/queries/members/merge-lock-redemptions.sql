-- Merge: locks the source's open (completed) redemptions BEFORE the points accounts, the order
-- a cancel takes (redemption, then account: points/lock-redemption.sql), so a merge and a
-- cancel of the source's redemption wait for each other instead of deadlocking.
-- $1 source member id.
SELECT id FROM redemptions WHERE member_id = $1 AND status = 'completed' ORDER BY id FOR UPDATE
