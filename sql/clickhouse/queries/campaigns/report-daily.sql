-- The campaign report's daily series: per UTC day of the window and group, the net revenue
-- (cents) and visits of the group's members on the cards they held at launch. Days without a
-- swipe have no row; the reader fills them with 0 and divides by the group's members.
-- Params: campaign_id UInt64, from DateTime64(3, 'UTC'), to DateTime64(3, 'UTC') (from included, to not).
SELECT
  toString(toDate(s.occurred_at, 'UTC')) AS day,
  a.grp AS grp,
  toInt64(sum(s.signed_total) * 100) AS revenue_cents,
  countIf(s.kind = 'sale') AS visits
FROM swipes AS s FINAL
INNER JOIN (SELECT card_number, member_id FROM campaign_cards FINAL WHERE campaign_id = {campaign_id:UInt64}) AS c
  ON s.card_number = c.card_number
INNER JOIN (SELECT member_id, grp FROM campaign_assignments FINAL WHERE campaign_id = {campaign_id:UInt64}) AS a
  ON a.member_id = c.member_id
WHERE s.card_number IN (SELECT card_number FROM campaign_cards WHERE campaign_id = {campaign_id:UInt64})
  AND s.occurred_at >= {from:DateTime64(3, 'UTC')} AND s.occurred_at < {to:DateTime64(3, 'UTC')}
GROUP BY day, grp
ORDER BY day, grp
-- As in report-groups.sql: a swipe's copies are always in one month partition.
SETTINGS do_not_merge_across_partitions_select_final = 1
