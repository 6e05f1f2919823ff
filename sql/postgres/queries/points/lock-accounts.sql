-- Locks the points accounts of these members, in member id order (every writer locks in this
-- order, so concurrent writers cannot deadlock), creating missing ones, and returns them all.
-- One upsert rather than INSERT … DO NOTHING then SELECT … FOR UPDATE in a CTE: a CTE's
-- inserts are invisible to its own statement's SELECT, and so is an account another
-- transaction created after this statement began; DO UPDATE locks and returns the newest row
-- in every case. The no-op SET only takes the lock.
-- $1 text[] member ids.
INSERT INTO point_accounts AS a (member_id)
SELECT DISTINCT m FROM unnest($1::text[]) AS m ORDER BY m
ON CONFLICT (member_id) DO UPDATE SET member_id = a.member_id
RETURNING a.member_id, a.balance, a.tier, a.tier_floor
