-- Locks a store's redemption for its cancel (cancels of one redemption queue here; the account
-- is locked after it, and nothing locks a redemption after an account, so no deadlock).
-- $1 redemption id, $2 store id.
SELECT id, member_id, card_number, points, ledger_id::text, status, cancelled_at
FROM redemptions
WHERE id = $1 AND store_id = $2
FOR UPDATE
