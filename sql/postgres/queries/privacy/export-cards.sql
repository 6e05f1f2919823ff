-- The cards of these members. $1 text[] member ids.
SELECT card_number, member_id, status, first_store_id, first_seen_at, blocked_at, replaced_by
FROM cards
WHERE member_id = ANY ($1::text[])
ORDER BY first_seen_at, card_number
