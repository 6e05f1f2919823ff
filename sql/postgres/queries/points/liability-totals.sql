-- Points outstanding: Σ positive balances, members holding points, Σ debt (balances below 0),
-- and Σ points left in lots, split into still usable and expired but not yet swept.
-- $1 as-of instant.
SELECT (SELECT coalesce(sum(balance) FILTER (WHERE balance > 0), 0)::text FROM point_accounts) AS balances,
       (SELECT count(*) FILTER (WHERE balance > 0)::text FROM point_accounts) AS members_with_points,
       (SELECT coalesce(-sum(balance) FILTER (WHERE balance < 0), 0)::text FROM point_accounts) AS debt,
       (SELECT coalesce(sum(remaining) FILTER (WHERE expires_at > $1), 0)::text FROM point_lots WHERE remaining > 0) AS lots_usable,
       (SELECT coalesce(sum(remaining) FILTER (WHERE expires_at <= $1), 0)::text FROM point_lots WHERE remaining > 0) AS lots_expired_unswept
