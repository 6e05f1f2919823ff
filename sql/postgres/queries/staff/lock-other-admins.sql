-- The enabled admins other than $1, locked, so two admins cannot demote each other at once
-- and leave nobody able to administer. $1 user id.
SELECT id
FROM staff_users
WHERE 'admin' = ANY (roles) AND disabled_at IS NULL AND id <> $1
ORDER BY id
FOR UPDATE
