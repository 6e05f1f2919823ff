-- A member's status, locked (FOR SHARE) for a points operation on them: a merge or an erasure
-- (which lock the member row FOR UPDATE, before the accounts) either committed already and is
-- seen here, or waits until this transaction ends. Lock it before the account, as merges do.
-- $1 member id.
SELECT id, status, merged_into FROM members WHERE id = $1 FOR SHARE
