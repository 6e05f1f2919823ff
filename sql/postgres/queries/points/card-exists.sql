-- Whether a card is known, unlocked: tells a card nobody has from one whose row dropped out of
-- lock-card-accounts.sql because a merge re-pointed it meanwhile. $1 card number.
SELECT 1 AS known FROM cards WHERE card_number = $1
