-- The one card row that stands for all of an erased member's cards: numbered with the
-- pseudonym, blocked, first seen where and when the first of them was.
-- $1 pseudonym, $2 member id, $3 text[] old card numbers, $4 now.
INSERT INTO cards (card_number, member_id, status, first_store_id, first_seen_at, blocked_at)
SELECT $1, $2, 'blocked', first_store_id, first_seen_at, $4::timestamptz
FROM cards
WHERE card_number = ANY ($3::text[])
ORDER BY first_seen_at, card_number
LIMIT 1
