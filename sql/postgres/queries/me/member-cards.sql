-- A member's cards, newest first. The router masks the numbers. $1 member id.
SELECT card_number, status, first_seen_at, blocked_at
FROM cards
WHERE member_id = $1
ORDER BY first_seen_at DESC, card_number
