-- A card's holder, unlocked: who to lock first (members before cards, lock-card.sql after).
-- $1 card number.
SELECT member_id FROM cards WHERE card_number = $1
