-- Every `chunk`-th member id of a segment narrowed by a CLV filter (as
-- read-segment-clv-members.sql reads it), in member id order: the keyset bounds its CSV export
-- is read by, as read-segment-chunk-bounds.sql for the whole segment. The bounds must come from
-- the same narrowed set, or a chunk would run past the next bound and repeat rows.
-- Params: run_id UInt64, segment String, chunk UInt32, clv_run_id UInt64, the clv_* parameters.
SELECT member_id
FROM (
  SELECT s.member_id AS member_id, row_number() OVER (ORDER BY s.member_id) AS n
  FROM (SELECT member_id FROM rfm_scores WHERE run_id = {run_id:UInt64} AND segment = {segment:String}) AS s
  INNER JOIN (
    SELECT c.member_id AS member_id
    FROM clv_scores AS c
    WHERE c.run_id = {clv_run_id:UInt64} AND {{clv_filter}}
  ) AS c ON c.member_id = s.member_id
)
WHERE n % {chunk:UInt32} = 0
ORDER BY member_id
