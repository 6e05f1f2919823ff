-- ClickHouse forgot the old card numbers: so does Postgres. $1 member id, $2 now.
UPDATE member_erasures
SET state = 'done', card_numbers = '{}', completed_at = $2::timestamptz
WHERE member_id = $1
RETURNING member_id, pseudonym, state, card_numbers, reason, requested_by, requested_at, completed_at
