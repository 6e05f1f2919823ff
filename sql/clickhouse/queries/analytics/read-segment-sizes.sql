-- The per-segment figures of one RFM run (GET /v1/segments). Segments without members have no
-- row; the reader lists every segment anyway. Params: run_id UInt64.
SELECT segment, members, revenue, avg_r, avg_f, avg_m, avg_monetary
FROM rfm_segment_sizes
WHERE run_id = {run_id:UInt64}
