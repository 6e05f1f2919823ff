-- A till's earlier redemption with this idempotency key, with what its answer said.
-- $1 store id, $2 request id.
SELECT r.id, r.card_number, r.points, r.member_id, l.balance_after, l.occurred_at, l.detail ->> 'request_hash' AS request_hash
FROM redemptions r
JOIN points_ledger l ON l.id = r.ledger_id
WHERE r.store_id = $1 AND r.request_id = $2
