-- bench:segments' baseline: sql/clickhouse/queries/analytics/rfm-scores.sql as Postgres SQL, on
-- the same swipes (bench_swipes, copied from ClickHouse) and the same card map (cards of
-- members not erased, read where they live). Same definitions (docs/segments.md "RFM"):
-- window (as_of − window_days, as_of], recency in whole days (floor of the milliseconds /
-- 86,400,000), rank() for ties, score = 1 + floor(5 × (rank − 1) / N), worse → better.
-- Run with the session's time zone UTC (the window is in days of 86,400 s, as in ClickHouse).
-- Params: $1 as_of (timestamptz), $2 window days (integer), $3 segment map (text[], 25 names,
--         the segment of (r, f) at (r − 1) × 5 + f, 1-based).
INSERT INTO bench_rfm_scores (member_id, recency_days, frequency, monetary, r, f, m, segment)
SELECT member_id, recency_days, frequency, monetary, r, f, m, ($3::text[])[(r - 1) * 5 + f]
FROM (
  SELECT
    member_id, recency_days, frequency, monetary,
    1 + 5 * (rank() OVER (ORDER BY recency_days DESC) - 1) / count(*) OVER () AS r,
    1 + 5 * (rank() OVER (ORDER BY frequency ASC) - 1) / count(*) OVER () AS f,
    1 + 5 * (rank() OVER (ORDER BY monetary ASC) - 1) / count(*) OVER () AS m
  FROM (
    SELECT
      c.member_id,
      floor((extract(epoch FROM $1::timestamptz) - extract(epoch FROM max(s.occurred_at) FILTER (WHERE s.kind = 'sale'))) * 1000 / 86400000)::integer AS recency_days,
      (count(*) FILTER (WHERE s.kind = 'sale'))::integer AS frequency,
      sum(s.signed_total) AS monetary
    FROM bench_swipes s
    JOIN cards c ON c.card_number = s.card_number
    JOIN members mb ON mb.id = c.member_id
    WHERE mb.status <> 'erased'
      AND s.occurred_at > $1::timestamptz - make_interval(days => $2::integer)
      AND s.occurred_at <= $1::timestamptz
    GROUP BY c.member_id
    HAVING count(*) FILTER (WHERE s.kind = 'sale') > 0
  ) AS active
) AS scored
