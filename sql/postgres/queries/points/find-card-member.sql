-- The member behind a card, for a redemption: the card's and the member's status.
-- $1 card number.
SELECT c.card_number, c.status AS card_status, m.id AS member_id, m.status AS member_status
FROM cards c
JOIN members m ON m.id = c.member_id
WHERE c.card_number = $1
