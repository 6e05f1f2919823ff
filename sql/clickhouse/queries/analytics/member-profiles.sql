-- The purchase-behaviour profile of every member with a visit in the window (docs/segments.md
-- "Profile"), written under the run. Swipes are read once, with FINAL (a batch re-sent after a
-- crash counts once), over the window or the 180 days of the trend, whichever reaches further
-- back, and joined once to the card map. Lines are read with FINAL over the window for the
-- whole window's category mix and the SKUs' keys (every card), and joined to the card map for
-- the member's categories and for its SKUs (CTEs are inlined: each use reads them again).
--
-- Speed: grouping millions of (member, SKU) groups is what costs here, and String keys and
-- per-group uniqExact sets of string tuples cost most. So the big groupings use number keys:
-- cityHash64 of the member id and of the SKU, sipHash128 of (store_id, txn_id). Neither hash
-- can silently merge two members or two SKUs: the statement fails (throwIf) if two member ids
-- of the run's card map, or two SKUs in the window, share a cityHash64. The visits of a SKU are
-- its member's distinct sale transactions holding it, counted as the (member, SKU, txn) groups
-- with a sale line: a 128-bit hash of (store_id, txn_id), as uniqExact itself keeps for a tuple
-- of strings, so a transaction is told apart exactly as before.
-- The lapsed category comes out of the same (member, category) grouping as the top categories,
-- with a sumIf for the recent part, so it costs no extra read of the lines and no extra grouping.
-- Categories and SKUs are ranked once, by name, into scalar arrays (category_mix, sku_dict), so
-- each member's lists are sorted as numbers and only the chosen five are named: no join of
-- millions of (member, SKU) rows to the names, no strings in the per-member arrays (6-15 % off
-- the statement in A/B pairs, the same rows to the last one: docs/segments.md "What it costs").
-- Each guard stands where ClickHouse cannot prune it (a WHERE, a HAVING): a throwIf in a column
-- nothing reads is never evaluated (profiles.int.test.ts makes both guards fire).
-- Params: run_id UInt64, as_of DateTime64(3, 'UTC'), window_days UInt32.
INSERT INTO member_profiles (
  run_id, member_id, visits, sales, returns, spend, avg_basket, first_visit, last_visit,
  days_since_last_visit, median_days_between_visits, preferred_store_id, weekday_visits,
  hour_visits, top_categories, top_skus, coupon_visits, coupon_rate, recent_spend,
  previous_spend, recent_visits, previous_visits, trend, lapsed_category
)
WITH
  {as_of:DateTime64(3, 'UTC')} AS as_of,
  as_of - toIntervalDay({window_days:UInt32}) AS window_start,
  as_of - toIntervalDay(90) AS recent_start,
  as_of - toIntervalDay(180) AS previous_start,
  -- The run's card map, with a number key per member (the guard: no two member ids share it).
  members AS (
    SELECT card_number, member_id, cityHash64(member_id) AS member_key
    FROM card_members
    WHERE run_id = {run_id:UInt64}
      AND throwIf((SELECT uniqExact(member_id) != uniqExact(cityHash64(member_id)) FROM card_members WHERE run_id = {run_id:UInt64}), 'two member ids share a cityHash64') = 0
  ),
  -- Every visit figure from one read of the swipes (window or trend period, whichever reaches
  -- further back) joined once, with the local time of each swipe for dates, weekdays and hours.
  visit_figures AS (
    SELECT
      any(cm.member_key) AS member_key,
      cm.member_id AS member_id,
      toUInt32(countIf(s.kind = 'sale' AND s.occurred_at > window_start)) AS visits,
      sumIf(s.total, s.kind = 'sale' AND s.occurred_at > window_start) AS sales,
      sumIf(s.total, s.kind = 'return' AND s.occurred_at > window_start) AS returns,
      minIf(s.occurred_at, s.kind = 'sale' AND s.occurred_at > window_start) AS first_visit,
      maxIf(s.occurred_at, s.kind = 'sale' AND s.occurred_at > window_start) AS last_visit,
      arraySort(arrayPopFront(arrayDifference(arrayMap(d -> toInt32(d),
        arraySort(groupUniqArrayIf(toDate(s.occurred_at + toIntervalMinute(s.utc_offset_minutes)), s.kind = 'sale' AND s.occurred_at > window_start)))))) AS gaps,
      groupArrayIf(toDayOfWeek(s.occurred_at + toIntervalMinute(s.utc_offset_minutes)), s.kind = 'sale' AND s.occurred_at > window_start) AS weekdays,
      groupArrayIf(toHour(s.occurred_at + toIntervalMinute(s.utc_offset_minutes)), s.kind = 'sale' AND s.occurred_at > window_start) AS hours,
      groupArrayIf(s.store_id, s.kind = 'sale' AND s.occurred_at > window_start) AS stores,
      toUInt32(countIf(s.kind = 'sale' AND s.occurred_at > window_start AND notEmpty(s.coupon_codes))) AS coupon_visits,
      sumIf(s.total, s.kind = 'sale' AND s.occurred_at > recent_start) - sumIf(s.total, s.kind = 'return' AND s.occurred_at > recent_start) AS recent_spend,
      sumIf(s.total, s.kind = 'sale' AND s.occurred_at > previous_start AND s.occurred_at <= recent_start)
        - sumIf(s.total, s.kind = 'return' AND s.occurred_at > previous_start AND s.occurred_at <= recent_start) AS previous_spend,
      toUInt32(countIf(s.kind = 'sale' AND s.occurred_at > recent_start)) AS recent_visits,
      toUInt32(countIf(s.kind = 'sale' AND s.occurred_at > previous_start AND s.occurred_at <= recent_start)) AS previous_visits
    FROM swipes AS s FINAL
    INNER JOIN members AS cm ON s.card_number = cm.card_number
    WHERE s.occurred_at > least(window_start, previous_start) AND s.occurred_at <= as_of
    GROUP BY cm.member_id
    HAVING visits > 0
  ),
  window_lines AS (
    SELECT card_number, store_id, txn_id, occurred_at, kind, category, sku, quantity, signed_amount
    FROM swipe_lines FINAL
    WHERE occurred_at > window_start AND occurred_at <= as_of
  ),
  -- The whole window's category mix (every card), which lift compares a member against: the
  -- categories in name order and their shares, as arrays (a scalar: computed once). A member's
  -- categories are handled by their position here (ties by name) and named once chosen.
  (
    SELECT (groupArray(category), groupArray(overall_share), range(1, toUInt32(count()) + 1))
    FROM (
      SELECT toString(category) AS category, toFloat64(sum(signed_amount)) / toFloat64(sum(sum(signed_amount)) OVER ()) AS overall_share
      FROM window_lines
      GROUP BY category
      ORDER BY category
    )
  ) AS category_mix,
  -- The position of category '' (lines without one: never a top or lapsed category), 0 if none.
  toUInt32(indexOf(category_mix.1, '')) AS empty_rank,
  member_lines AS (
    SELECT cm.member_key AS member_key, l.txn_id AS txn_id, l.store_id AS store_id, l.occurred_at AS occurred_at, l.kind AS kind,
           l.category AS category, l.sku AS sku, l.quantity AS quantity, l.signed_amount AS signed_amount
    FROM window_lines AS l
    INNER JOIN members AS cm ON l.card_number = cm.card_number
  ),
  -- Per member: net amount per category, the member's net amount over all lines, top five, and
  -- the lapsed category: the most earlier net spend (window lines at or before recent_start, the
  -- trend's split) among the categories whose recent net is ≤ 0; ties by name. argMin over
  -- (−earlier, rank), the rank being name order, keeps the decimals exact; when no category
  -- qualifies it gives rank 0, which category_mix names ''.
  top_categories AS (
    SELECT
      member_key,
      arrayMap(
        c -> (category_mix.1[c.1], c.2,
              if(member_total > 0, round(toFloat64(c.2) / toFloat64(member_total), 4), 0),
              if(member_total > 0 AND category_mix.2[c.1] > 0, round((toFloat64(c.2) / toFloat64(member_total)) / category_mix.2[c.1], 4), 0)),
        arraySlice(arraySort(c -> (-toFloat64(c.2), c.1), groupArrayIf((category_rank, amount), amount > 0 AND category_rank != empty_rank)), 1, 5)
      ) AS top_categories,
      sum(amount) AS member_total,
      category_mix.1[argMinIf(category_rank, (recent_amount - amount, category_rank), amount - recent_amount > 0 AND recent_amount <= 0 AND category_rank != empty_rank)] AS lapsed_category
    FROM (
      SELECT member_key, toUInt32(transform(toString(category), category_mix.1, category_mix.3, 0)) AS category_rank,
             sum(signed_amount) AS amount, sumIf(signed_amount, occurred_at > recent_start) AS recent_amount
      FROM member_lines
      GROUP BY member_key, category_rank
    )
    GROUP BY member_key
  ),
  -- The SKUs of the window by their number key (the guard, in HAVING so that it always runs: no
  -- two SKUs share it), as arrays in name order: a member's SKUs are ranked by their position
  -- here (ties by name) and named only once their top five are chosen. A scalar: computed once.
  (
    SELECT (groupArray(sku_key), groupArray(sku_name), range(1, toUInt32(count()) + 1))
    FROM (
      SELECT cityHash64(sku) AS sku_key, min(sku) AS sku_name
      FROM window_lines
      GROUP BY sku_key
      HAVING throwIf(min(sku) != max(sku), 'two SKUs share a cityHash64') = 0
      ORDER BY sku_name
    )
  ) AS sku_dict,
  -- Per member and SKU: net amount, net quantity, sale transactions holding it (first one row
  -- per member, SKU and transaction).
  member_skus AS (
    SELECT member_key, sku_key, sum(amount) AS amount, sum(quantity) AS quantity, toUInt32(countIf(sold)) AS visits
    FROM (
      SELECT member_key, cityHash64(sku) AS sku_key, sipHash128(store_id, txn_id) AS txn_key,
             sum(signed_amount) AS amount, sum(if(kind = 'return', -quantity, quantity)) AS quantity, max(kind = 'sale') AS sold
      FROM member_lines
      GROUP BY member_key, sku_key, txn_key
    )
    GROUP BY member_key, sku_key
  ),
  top_skus AS (
    SELECT member_key,
      arrayMap(s -> (sku_dict.2[s.1], s.2, s.3, s.4),
        arraySlice(arraySort(s -> (-toFloat64(s.2), s.1), groupArray((toUInt32(transform(sku_key, sku_dict.1, sku_dict.3, 0)), amount, quantity, visits))), 1, 5)) AS top_skus
    FROM member_skus
    WHERE amount > 0
    GROUP BY member_key
  )
SELECT
  {run_id:UInt64} AS run_id,
  v.member_id,
  v.visits,
  v.sales,
  v.returns,
  v.sales - v.returns AS spend,
  round(toDecimal128(v.sales - v.returns, 4) / v.visits, 2) AS avg_basket,
  v.first_visit,
  v.last_visit,
  toUInt32(intDiv(toUnixTimestamp64Milli(as_of) - toUnixTimestamp64Milli(v.last_visit), 86400000)) AS days_since_last_visit,
  multiIf(
    empty(v.gaps), NULL,
    length(v.gaps) % 2 = 1, toFloat64(v.gaps[intDiv(length(v.gaps), 2) + 1]),
    (v.gaps[intDiv(length(v.gaps), 2)] + v.gaps[intDiv(length(v.gaps), 2) + 1]) / 2
  ) AS median_days_between_visits,
  -- Most visits, then the lowest store id by text.
  arraySort(st -> (-toInt64(countEqual(v.stores, st)), st), arrayDistinct(v.stores))[1] AS preferred_store_id,
  arrayMap(d -> toUInt32(countEqual(v.weekdays, d)), range(1, 8)) AS weekday_visits,
  arrayMap(h -> toUInt32(countEqual(v.hours, h)), range(0, 24)) AS hour_visits,
  tc.top_categories,
  ts.top_skus,
  v.coupon_visits,
  round(v.coupon_visits / v.visits, 4) AS coupon_rate,
  v.recent_spend,
  v.previous_spend,
  v.recent_visits,
  v.previous_visits,
  if(v.previous_spend > 0, round(toFloat64(v.recent_spend) / toFloat64(v.previous_spend) - 1, 4), NULL) AS trend,
  tc.lapsed_category
FROM visit_figures AS v
LEFT JOIN top_categories AS tc ON v.member_key = tc.member_key
LEFT JOIN top_skus AS ts ON v.member_key = ts.member_key
-- FINAL merges each month partition on its own (1.7 times as fast over 10M swipes and 26M
-- lines): the copies of a swipe or line share its occurred_at, so they are in one partition.
SETTINGS do_not_merge_across_partitions_select_final = 1
