-- Redemption at the till (redeem-coupons.ts): the coupons a write group presents, locked in
-- code order (every writer locks them in this order, so two tills cannot deadlock), with the
-- member each belongs to now (a merged member's coupons belong to the member it was merged into;
-- merged_into always names a member that is not merged itself).
-- $1 text[] canonical codes.
SELECT c.code, c.campaign_id::text AS campaign_id, coalesce(m.merged_into, m.id) AS owner_id,
       c.kind, c.value::text AS value, c.max_discount_cents::text AS max_discount_cents,
       c.category, c.skus, c.min_basket_cents::text AS min_basket_cents, c.valid_from, c.valid_until, c.state
FROM coupons c
JOIN members m ON m.id = c.member_id
WHERE c.code = ANY ($1::text[])
ORDER BY c.code
FOR UPDATE OF c
