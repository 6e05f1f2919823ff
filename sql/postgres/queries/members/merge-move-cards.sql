-- Merge: the source's cards (blocked ones too) now belong to the target.
-- $1 target member id, $2 source member id.
UPDATE cards SET member_id = $1 WHERE member_id = $2
RETURNING card_number
