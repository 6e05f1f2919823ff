-- Marks a redemption cancelled. $1 redemption id, $2 cancelled at.
UPDATE redemptions SET status = 'cancelled', cancelled_at = $2 WHERE id = $1
