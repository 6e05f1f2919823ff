-- The account a card signs in to: only an active card of an active member who has set a PIN
-- or password (a blocked card, an anonymous, blocked, merged or erased member: nothing).
-- $1 card number.
SELECT m.id, m.secret_hash
FROM cards c
JOIN members m ON m.id = c.member_id
WHERE c.card_number = $1 AND c.status = 'active' AND m.status = 'active' AND m.secret_hash IS NOT NULL
