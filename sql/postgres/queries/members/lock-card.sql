-- A card and the status of the member holding it, the card locked (registering, attaching or
-- blocking it must not race a merge that re-points it). Callers lock the holder's member row
-- first (members.repo.ts lockCardAndMembers): members before cards, as a merge does.
-- $1 card number.
SELECT c.card_number, c.status, c.member_id, m.status AS member_status
FROM cards c
JOIN members m ON m.id = c.member_id
WHERE c.card_number = $1
FOR UPDATE OF c
