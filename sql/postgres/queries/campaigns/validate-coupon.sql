-- POST /v1/coupons/:code/validate: one coupon with its campaign's budget, and the member of the
-- card presented (NULL for a card nobody holds), without locking anything.
-- $1 text canonical code, $2 text card number.
SELECT c.code, c.campaign_id::text AS campaign_id, coalesce(m.merged_into, m.id) AS owner_id,
       c.kind, c.value::text AS value, c.max_discount_cents::text AS max_discount_cents,
       c.category, c.skus, c.min_basket_cents::text AS min_basket_cents, c.valid_from, c.valid_until, c.state,
       k.budget_cents::text AS budget_cents, k.spent_cents::text AS spent_cents,
       (SELECT member_id FROM cards WHERE card_number = $2) AS card_member_id
FROM coupons c
JOIN members m ON m.id = c.member_id
JOIN campaigns k ON k.id = c.campaign_id
WHERE c.code = $1
