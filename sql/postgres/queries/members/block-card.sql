-- Blocks a card, naming the card that replaces it (if any). $1 card number, $2 blocked at
-- (timestamptz), $3 replacement card number or null.
UPDATE cards
SET status = 'blocked', blocked_at = $2, replaced_by = $3
WHERE card_number = $1
RETURNING card_number, status, member_id, first_seen_at, blocked_at, replaced_by
