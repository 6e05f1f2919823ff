-- A member's erasure, if one was started. $1 member id.
SELECT member_id, pseudonym, state, card_numbers, reason, requested_by, requested_at, completed_at
FROM member_erasures
WHERE member_id = $1
