-- A new card handed out by staff, attached to a member at once. Nothing is inserted (no row
-- returned) if a till saw the card first in the meantime. $1 card number, $2 member id,
-- $3 when (timestamptz).
INSERT INTO cards (card_number, member_id, status, first_seen_at)
VALUES ($1, $2, 'active', $3)
ON CONFLICT (card_number) DO NOTHING
RETURNING card_number
