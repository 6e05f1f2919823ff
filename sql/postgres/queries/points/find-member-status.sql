-- A member's status, for points operations on them. $1 member id.
SELECT id, status, merged_into FROM members WHERE id = $1
