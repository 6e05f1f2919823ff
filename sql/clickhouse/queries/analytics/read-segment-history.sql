-- Segment sizes of several RFM runs (GET /v1/segments/history), one row per run and segment
-- with members. Params: run_ids Array(UInt64).
SELECT run_id, segment, members
FROM rfm_segment_sizes
WHERE run_id IN {run_ids:Array(UInt64)}
