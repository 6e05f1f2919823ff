-- Merge: members merged into the source earlier now point at the target, so merged_into is
-- always one hop to a live member. $1 target member id, $2 source member id.
UPDATE members SET merged_into = $1 WHERE merged_into = $2 AND status = 'merged'
