-- Each member's purchase history as BG/NBD and Gamma-Gamma see it (docs/clv.md "What the models
-- see"), written under the run: all history up to as_of, purchase days in the till's local
-- time, returns netted into their day.
-- Params: run_id UInt64, as_of DateTime64(3, 'UTC').
INSERT INTO clv_members (run_id, member_id, x, tx_days, t_days, repeat_spend, m)
SELECT
  {run_id:UInt64},
  member_id,
  toUInt32(length(days) - 1) AS x,
  toUInt32(days[-1] - days[1]) AS tx_days,
  -- A purchase late on as_of's local date can fall after as_of's UTC date: the age is never
  -- shorter than the recency.
  toUInt32(greatest(toDate({as_of:DateTime64(3, 'UTC')}) - days[1], days[-1] - days[1])) AS t_days,
  repeat_spend,
  if(x = 0, NULL, toFloat64(repeat_spend) / x)
FROM
(
  SELECT
    member_id,
    arraySort(groupArray(day)) AS days,
    -- Every purchase day's net spend but the first's (the Gamma-Gamma m leaves it out).
    sum(net) - argMin(net, day) AS repeat_spend
  FROM
  (
    SELECT
      cm.member_id AS member_id,
      toDate(s.occurred_at + toIntervalMinute(s.utc_offset_minutes)) AS day,
      countIf(s.kind = 'sale') AS sales,
      sum(toDecimal128(s.signed_total, 2)) AS net
    FROM swipes AS s FINAL
    INNER JOIN (SELECT card_number, member_id FROM card_members WHERE run_id = {run_id:UInt64}) AS cm
      ON s.card_number = cm.card_number
    WHERE s.occurred_at <= {as_of:DateTime64(3, 'UTC')}
    GROUP BY member_id, day
    HAVING sales > 0
  )
  GROUP BY member_id
)
-- FINAL merges each month partition on its own: a swipe's copies share its occurred_at, so
-- they are always in one partition (as in member-profiles.sql).
SETTINGS do_not_merge_across_partitions_select_final = 1
