-- The redemption rate of launched campaigns so far, as its two counts: coupons redeemed and
-- coupons issued (void ones included: they were issued). No params.
SELECT count(*) FILTER (WHERE state = 'redeemed')::bigint AS redeemed, count(*)::bigint AS issued FROM coupons
