-- The campaign report's coupon figures: coupons issued (all of the campaign's, whenever issued:
-- issuing happens at launch, before the window may open), coupons redeemed in the window, and
-- the discount they took off (cents). FINAL: a re-sent event counts once.
-- Params: campaign_id UInt64, from DateTime64(3, 'UTC'), to DateTime64(3, 'UTC') (from included, to not).
SELECT
  countIf(event = 'issued') AS issued,
  countIf(event = 'redeemed' AND in_window) AS redeemed,
  toInt64(sumIf(discount, event = 'redeemed' AND in_window) * 100) AS discount_cents
FROM
(
  SELECT event, discount, at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')} AS in_window
  FROM coupon_events FINAL
  WHERE campaign_id = {campaign_id:UInt64}
)
