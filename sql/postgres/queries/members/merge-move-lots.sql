-- Merge: every lot of the source becomes the target's, spent ones too, so a later return or a
-- cancelled redemption of the source's finds its lots with the member that now holds them.
-- $1 target member id, $2 source member id. Returns how many lots and points moved.
WITH moved AS (
  UPDATE point_lots SET member_id = $1 WHERE member_id = $2 RETURNING remaining
)
SELECT count(*)::int AS lots, coalesce(sum(remaining), 0)::text AS points FROM moved
