-- RFM scores and segment of every active member (docs/segments.md "RFM"), written under the run.
-- Params: run_id UInt64, as_of DateTime64(3, 'UTC'), window_days UInt32,
--         segment_map Array(String): 25 names, the segment of (r, f) at (r − 1) × 5 + f.
-- Scores: rank() puts equal values on the lowest rank among them, so a tie never splits;
-- score = 1 + floor(5 × (rank − 1) / N), rows ordered worse → better.
INSERT INTO rfm_scores (run_id, member_id, recency_days, frequency, monetary, r, f, m, segment)
SELECT
  {run_id:UInt64},
  member_id,
  recency_days,
  frequency,
  monetary,
  toUInt8(1 + intDiv(5 * (rank() OVER (ORDER BY recency_days DESC) - 1), count() OVER ())) AS r,
  toUInt8(1 + intDiv(5 * (rank() OVER (ORDER BY frequency ASC) - 1), count() OVER ())) AS f,
  toUInt8(1 + intDiv(5 * (rank() OVER (ORDER BY monetary ASC) - 1), count() OVER ())) AS m,
  {segment_map:Array(String)}[(r - 1) * 5 + f]
FROM
(
  SELECT
    cm.member_id AS member_id,
    toUInt32(intDiv(
      toUnixTimestamp64Milli({as_of:DateTime64(3, 'UTC')}) - toUnixTimestamp64Milli(maxIf(s.occurred_at, s.kind = 'sale')),
      86400000)) AS recency_days,
    toUInt32(countIf(s.kind = 'sale')) AS frequency,
    sum(s.signed_total) AS monetary
  FROM swipes AS s FINAL
  INNER JOIN (SELECT card_number, member_id FROM card_members WHERE run_id = {run_id:UInt64}) AS cm
    ON s.card_number = cm.card_number
  WHERE s.occurred_at > {as_of:DateTime64(3, 'UTC')} - toIntervalDay({window_days:UInt32})
    AND s.occurred_at <= {as_of:DateTime64(3, 'UTC')}
  GROUP BY cm.member_id
  HAVING frequency > 0
)
-- FINAL merges each month partition on its own (twice as fast over 10M swipes): the copies of a
-- swipe share its occurred_at, so they are always in one partition.
SETTINGS do_not_merge_across_partitions_select_final = 1
