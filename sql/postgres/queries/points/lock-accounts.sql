-- Locks the points accounts of these members, in member id order (every writer locks in this
-- order, so concurrent writers cannot deadlock), creating missing ones first.
-- $1 text[] member ids.
WITH created AS (
  INSERT INTO point_accounts (member_id)
  SELECT m FROM unnest($1::text[]) AS m ORDER BY m
  ON CONFLICT (member_id) DO NOTHING
)
SELECT a.member_id, a.balance, a.tier, a.tier_floor
FROM point_accounts a
WHERE a.member_id = ANY ($1::text[])
ORDER BY a.member_id
FOR UPDATE
