-- Starts an erasure: the pseudonym, and the card numbers ClickHouse still has to forget.
-- $1 member id, $2 pseudonym, $3 text[] card numbers, $4 reason, $5 staff user id, $6 now.
INSERT INTO member_erasures (member_id, pseudonym, state, card_numbers, reason, requested_by, requested_at)
VALUES ($1, $2, 'clickhouse_pending', $3::text[], $4, $5, $6::timestamptz)
RETURNING member_id, pseudonym, state, card_numbers, reason, requested_by, requested_at, completed_at
