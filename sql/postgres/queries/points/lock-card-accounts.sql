-- The member and locked points account behind each card, in member id order (the order every
-- writer locks accounts in). Locking the card too means a concurrent merge that re-points it
-- makes this row drop out (the caller then retries). $1 text[] card numbers.
SELECT c.card_number, c.status AS card_status, m.id AS member_id, m.status AS member_status,
       a.balance, a.tier, a.tier_floor
FROM cards c
JOIN members m ON m.id = c.member_id
JOIN point_accounts a ON a.member_id = c.member_id
WHERE c.card_number = ANY ($1::text[])
ORDER BY a.member_id
FOR UPDATE OF a, c
