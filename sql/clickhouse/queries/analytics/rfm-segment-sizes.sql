-- Per segment of one run: members, revenue (Σ monetary) and average scores, for the segment
-- history. Segments with no member get no row (readers list every segment anyway).
-- Params: run_id UInt64.
INSERT INTO rfm_segment_sizes (run_id, segment, members, revenue, avg_r, avg_f, avg_m, avg_monetary)
SELECT
  {run_id:UInt64},
  segment,
  toUInt32(count()),
  sum(toDecimal128(monetary, 2)),
  avg(r),
  avg(f),
  avg(m),
  round(sum(toDecimal128(monetary, 4)) / count(), 2)
FROM rfm_scores
WHERE run_id = {run_id:UInt64}
GROUP BY segment
