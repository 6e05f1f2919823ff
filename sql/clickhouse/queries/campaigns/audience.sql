-- A campaign's audience (docs/campaigns.md "Who is eligible"), one row per member of the
-- newest profile run that meets the audience's conditions, with the later steps as flags:
-- consented (active, personalised_offers granted, from the candidates snapshot), under_cap
-- (fewer recent offers than the frequency cap), eligible (both, and a category found when the
-- offer is personalised); then the member's category, expected discount and group. Read whole
-- by preview-funnel.sql and insert-assignments.sql, which fill their slot with this text.
--
-- Conditions left empty (an empty array, a NULL bound, clv_used = 0) pass every member. The
-- clv_filter slot (in double braces) is replaced by services/analytics/clv-filters.ts's
-- condition on the clv_scores row `c` (constant text, bound values).
--
-- Category: top_category takes the member's first top category, lapsed_category the
-- profile's lapsed_category, none the offer's own category ('' for basket and SKU offers).
-- Expected discount: what the coupon would take off one typical visit's spend in scope:
--   basket: avg_basket; category: the member's spend in the category (top_categories, 0 when
--   not among them) / visits; skus: the spend on the scope's SKUs among top_skus / visits.
--   Spend per visit is rounded to cents half away from zero (as avg_basket is), never below 0;
--   percent: spend × value / 100 rounded to cents half away from zero, then capped at
--   max_discount; amount: the value, capped at the spend. (Decimal division truncates at 4
--   places first, which never changes a half-away-from-zero rounding to 2.)
-- Group: holdout when sipHash64(campaign id, member id) % 1,000,000 < holdout_ppm (the share in
-- millionths), else treated: the same member lands in the same group in every preview and
-- launch of the campaign.
-- Params: profile_run_id UInt64, rfm_run_id UInt64, clv_run_id UInt64, clv_used UInt8,
-- snapshot_id UInt64, campaign_id UInt64, holdout_ppm UInt32, frequency_cap UInt32,
-- segments, tiers, buys_categories Array(String), min_days, max_days, min_visits
-- Nullable(UInt32), min_spend, max_spend Nullable(Decimal(18, 2)), personalisation String,
-- scope_type String, scope_category String, scope_skus Array(String), offer_kind String,
-- offer_value Decimal(18, 2), max_discount Nullable(Decimal(18, 2)), and the clv_* ones.
SELECT
  member_id, consented, under_cap, consented AND under_cap AND has_category AS eligible,
  category, expected_discount,
  if(sipHash64({campaign_id:UInt64}, member_id) % 1000000 < {holdout_ppm:UInt32}, 'holdout', 'treated') AS grp
FROM (
  SELECT
    p.member_id AS member_id,
    k.consented = 1 AS consented,
    k.recent_offers < {frequency_cap:UInt32} AS under_cap,
    multiIf(
      {personalisation:String} = 'top_category', if(empty(p.top_categories), '', tupleElement(p.top_categories[1], 1)),
      {personalisation:String} = 'lapsed_category', p.lapsed_category,
      {scope_category:String}) AS category,
    {personalisation:String} = 'none' OR category != '' AS has_category,
    greatest(toDecimal128(0, 2), multiIf(
      {scope_type:String} = 'basket', toDecimal128(p.avg_basket, 2),
      {scope_type:String} = 'category',
        toDecimal128(round(toDecimal128(arraySum(arrayMap(c -> if(tupleElement(c, 1) = category, tupleElement(c, 2), toDecimal64(0, 2)), p.top_categories)), 4) / p.visits, 2), 2),
      toDecimal128(round(toDecimal128(arraySum(arrayMap(s -> if(has({scope_skus:Array(String)}, tupleElement(s, 1)), tupleElement(s, 2), toDecimal64(0, 2)), p.top_skus)), 4) / p.visits, 2), 2)
    )) AS scope_spend,
    toDecimal128(if({offer_kind:String} = 'percent',
      least(round(scope_spend * {offer_value:Decimal(18, 2)} / 100, 2), ifNull({max_discount:Nullable(Decimal(18, 2))}, toDecimal128(1000000000, 2))),
      least({offer_value:Decimal(18, 2)}, scope_spend)), 2) AS expected_discount
  FROM (
    SELECT member_id, visits, avg_basket, top_categories, top_skus, lapsed_category
    FROM member_profiles
    WHERE run_id = {profile_run_id:UInt64}
      AND (empty({buys_categories:Array(String)}) OR hasAll(arrayMap(c -> tupleElement(c, 1), top_categories), {buys_categories:Array(String)}))
      AND ({min_days:Nullable(UInt32)} IS NULL OR days_since_last_visit >= {min_days:Nullable(UInt32)})
      AND ({max_days:Nullable(UInt32)} IS NULL OR days_since_last_visit <= {max_days:Nullable(UInt32)})
      AND ({min_visits:Nullable(UInt32)} IS NULL OR visits >= {min_visits:Nullable(UInt32)})
      AND ({min_spend:Nullable(Decimal(18, 2))} IS NULL OR spend >= {min_spend:Nullable(Decimal(18, 2))})
      AND ({max_spend:Nullable(Decimal(18, 2))} IS NULL OR spend <= {max_spend:Nullable(Decimal(18, 2))})
      AND (empty({segments:Array(String)}) OR member_id IN (
        SELECT member_id FROM rfm_scores WHERE run_id = {rfm_run_id:UInt64} AND has({segments:Array(String)}, segment)))
      AND ({clv_used:UInt8} = 0 OR member_id IN (
        SELECT c.member_id FROM clv_scores AS c WHERE c.run_id = {clv_run_id:UInt64} AND {{clv_filter}}))
  ) AS p
  -- Members missing from the snapshot (erased, merged since the run) read tier '' and
  -- consented 0: they stay in the audience count and leave at the consent step.
  LEFT JOIN (
    SELECT member_id, tier, consented, recent_offers
    FROM campaign_candidates
    WHERE snapshot_id = {snapshot_id:UInt64}
  ) AS k ON k.member_id = p.member_id
  WHERE empty({tiers:Array(String)}) OR has({tiers:Array(String)}, k.tier)
)
