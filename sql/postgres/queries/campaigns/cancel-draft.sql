-- Cancels a draft; a campaign in any other state is left as it is (no row: the caller says 409).
-- $1 bigint campaign id, $2 timestamptz now.
UPDATE campaigns
SET state = 'cancelled', updated_at = $2
WHERE id = $1 AND state = 'draft'
RETURNING id, state
