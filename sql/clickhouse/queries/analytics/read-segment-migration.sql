-- Members from each segment to each segment between two RFM runs (GET /v1/segments/migration).
-- A member scored in one run only has 'none' on the other side: entered (none → segment) or
-- left (segment → none). Segment slugs are never empty, so '' from maxIf means "no score".
-- Params: from_run UInt64, to_run UInt64.
SELECT from_segment, to_segment, count() AS members
FROM (
  SELECT
    member_id,
    if(maxIf(segment, run_id = {from_run:UInt64}) = '', 'none', maxIf(segment, run_id = {from_run:UInt64})) AS from_segment,
    if(maxIf(segment, run_id = {to_run:UInt64}) = '', 'none', maxIf(segment, run_id = {to_run:UInt64})) AS to_segment
  FROM rfm_scores
  WHERE run_id IN ({from_run:UInt64}, {to_run:UInt64})
  GROUP BY member_id
)
GROUP BY from_segment, to_segment
ORDER BY from_segment, to_segment
