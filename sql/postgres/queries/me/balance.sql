-- Everything GET /v1/me/balance shows, in one round trip: the account, the net spend over the
-- rolling 12 months (the days after today minus 12 months, as the tier rules count it), the
-- version of the tier ladder in force, and the lots with points left that expire after $3 and
-- no later than $4, soonest first. No row unless the member is active: the route relies on
-- this instead of a separate sign-in check (requireMember's checksStatus: 'in-route').
-- $1 member id, $2 today (date, UTC), $3 from (timestamptz), $4 until (timestamptz).
SELECT a.balance::text, a.tier, a.tier_since,
       (SELECT coalesce(sum(s.amount), 0)::numeric(18, 2)::text
          FROM member_daily_spend s
         WHERE s.member_id = $1 AND s.day > ($2::date - interval '12 months')::date) AS spend_12m,
       (SELECT max(version) FROM tier_ladders) AS tiers_version,
       (SELECT coalesce(json_agg(json_build_object('id', l.id::text, 'earned_at', l.earned_at, 'expires_at', l.expires_at, 'remaining', l.remaining)
                                 ORDER BY l.expires_at, l.earned_at, l.id), '[]')
          FROM point_lots l
         WHERE l.member_id = $1 AND l.remaining > 0 AND l.expires_at > $3 AND l.expires_at <= $4) AS lots
FROM point_accounts a
JOIN members m ON m.id = a.member_id AND m.status = 'active'
WHERE a.member_id = $1
