-- Merge: the source's completed redemptions now belong to the target, so cancelling one books
-- the points back to the member who now holds the lots it drew. Cancelled ones stay: their
-- 'restore' entry is on the source's ledger, where a repeated cancel looks for it.
-- $1 target member id, $2 source member id.
UPDATE redemptions SET member_id = $1 WHERE member_id = $2 AND status = 'completed'
