-- The campaign report's per-group figures (docs/campaigns.md "Report"): for treated and for
-- holdout, the members, and over the window their net revenue (sales minus returns) and visits
-- (sale swipes), with Σx and Σx² of the per-member figures for Welch's interval. Every assigned
-- member counts, a member with no swipe as 0: the join runs from the assignments through the
-- cards the member held at launch to the swipes, never from the swipes. Revenue is in cents
-- (Int64 per member, Int128 sums) so Σx² is exact.
-- Params: campaign_id UInt64, from DateTime64(3, 'UTC'), to DateTime64(3, 'UTC') (from included, to not).
SELECT
  grp,
  count() AS members,
  sum(toInt128(member_cents)) AS revenue_cents,
  sum(toInt128(member_cents) * member_cents) AS revenue_cents_sq,
  sum(member_visits) AS visits,
  sum(member_visits * member_visits) AS visits_sq
FROM
(
  SELECT
    a.grp AS grp,
    a.member_id AS member_id,
    -- An unmatched LEFT JOIN gives 0 for net and sale (not NULL): a member without swipes is 0.
    toInt64(sum(s.net) * 100) AS member_cents,
    toUInt64(sum(s.sale)) AS member_visits
  FROM (SELECT member_id, grp FROM campaign_assignments FINAL WHERE campaign_id = {campaign_id:UInt64}) AS a
  LEFT JOIN (SELECT card_number, member_id FROM campaign_cards FINAL WHERE campaign_id = {campaign_id:UInt64}) AS c
    ON c.member_id = a.member_id
  LEFT JOIN
  (
    -- FINAL: a swipe inserted twice (a re-sent batch) counts once.
    SELECT card_number, signed_total AS net, toUInt8(kind = 'sale') AS sale
    FROM swipes FINAL
    WHERE card_number IN (SELECT card_number FROM campaign_cards WHERE campaign_id = {campaign_id:UInt64})
      AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  ) AS s ON s.card_number = c.card_number
  GROUP BY grp, member_id
)
GROUP BY grp
-- FINAL merges each month partition on its own: a swipe's copies share its occurred_at, so
-- they are always in one partition (as in member-profiles.sql).
SETTINGS do_not_merge_across_partitions_select_final = 1
