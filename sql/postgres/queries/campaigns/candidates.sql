-- The candidates snapshot (services/campaigns/candidates.ts) as COPY TO STDOUT in
-- campaign_candidates' column order: snapshot id, member, tier now ('' without an account),
-- whether the member may receive a personalised offer now, and the coupons issued to the member
-- in the 30 days before the snapshot instant (every campaign but the one being assigned: a
-- relaunch must not count its own first attempt). Consent mirrors
-- privacy/consented-members.sql: an active member with a granted personalised_offers row.
-- Erased and merged members are left out (their history belongs to nobody, or to another id).
-- Settings (set-snapshot.sql): campaigns.snapshot_id, campaigns.snapshot_at, campaigns.campaign_id.
COPY (
  SELECT current_setting('campaigns.snapshot_id')::bigint,
         m.id,
         coalesce(a.tier, ''),
         CASE WHEN m.status = 'active' AND c.granted THEN 1 ELSE 0 END,
         coalesce(o.offers, 0)
  FROM members m
  LEFT JOIN member_consents c ON c.member_id = m.id AND c.channel = 'personalised_offers'
  LEFT JOIN point_accounts a ON a.member_id = m.id
  LEFT JOIN (
    SELECT member_id, count(*) AS offers
    FROM coupons
    WHERE issued_at > current_setting('campaigns.snapshot_at')::timestamptz - interval '30 days'
      AND issued_at <= current_setting('campaigns.snapshot_at')::timestamptz
      AND campaign_id <> current_setting('campaigns.campaign_id')::bigint
    GROUP BY member_id
  ) o ON o.member_id = m.id
  WHERE m.status IN ('active', 'anonymous', 'blocked')
) TO STDOUT
