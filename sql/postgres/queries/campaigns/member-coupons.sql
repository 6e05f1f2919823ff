-- GET /v1/me/coupons: a member's coupons (and those of members merged into them), with their
-- campaign's name; current ones first (issued and valid now, soonest to end first), then the
-- rest (redeemed, void, expired, not yet valid), newest first. Capped by the caller.
-- $1 text[] member ids (the member's family), $2 timestamptz now, $3 integer limit.
SELECT c.code, c.campaign_id, k.name AS campaign_name, c.member_id, c.kind, c.value::text AS value,
       c.max_discount_cents, c.category, c.skus, c.min_basket_cents, c.valid_from, c.valid_until,
       c.state, c.issued_at, c.redeemed_at, c.discount_cents,
       (c.state = 'issued' AND c.valid_from <= $2 AND c.valid_until > $2) AS current
FROM coupons c
JOIN campaigns k ON k.id = c.campaign_id
WHERE c.member_id = ANY ($1::text[])
ORDER BY current DESC,
         CASE WHEN c.state = 'issued' AND c.valid_from <= $2 AND c.valid_until > $2 THEN c.valid_until END ASC,
         c.issued_at DESC, c.code
LIMIT $3
