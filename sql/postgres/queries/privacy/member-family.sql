-- A member and every member merged into them (directly or through a chain of merges): the
-- accounts whose data is this person's. The member first. $1 member id.
WITH RECURSIVE family (id, depth) AS (
  SELECT id, 0 FROM members WHERE id = $1
  UNION
  SELECT m.id, f.depth + 1 FROM members m JOIN family f ON m.merged_into = f.id
)
SELECT id FROM family ORDER BY depth, id
