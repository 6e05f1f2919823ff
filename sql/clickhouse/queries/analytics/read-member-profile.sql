-- One member's profile in one profiles run (GET /v1/members/:id/profile).
-- Params: run_id UInt64, member_id String.
SELECT
  visits, sales, returns, spend, avg_basket, first_visit, last_visit, days_since_last_visit,
  median_days_between_visits, preferred_store_id, weekday_visits, hour_visits, top_categories,
  top_skus, coupon_visits, coupon_rate, recent_spend, previous_spend, recent_visits,
  previous_visits, trend, lapsed_category
FROM member_profiles
WHERE run_id = {run_id:UInt64} AND member_id = {member_id:String}
