-- bench:campaigns: $1 members, all active and consenting to personalised offers (member i:
-- 'mem_' followed by i on 10 digits, the id generate-profiles.sql gives member i), so every
-- profiled member is eligible and the launch issues about (1 − holdout share) × $1 coupons.
-- Params: $1 members (bigint).
WITH m AS (
  INSERT INTO members (id, status, created_at, registered_at)
  SELECT 'mem_' || lpad(i::text, 10, '0'), 'active', now() - interval '800 days', now() - interval '700 days'
  FROM generate_series(0, $1::bigint - 1) AS i
  RETURNING id
)
INSERT INTO member_consents (member_id, channel, granted, changed_at, source)
SELECT id, 'personalised_offers', true, now() - interval '100 days', 'import'
FROM m
