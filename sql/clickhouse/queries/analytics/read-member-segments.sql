-- One member's RFM score in each of several runs (GET /v1/members/:id/segments): a row per run
-- that scored them. Params: run_ids Array(UInt64), member_id String.
SELECT run_id, segment, r, f, m
FROM rfm_scores
WHERE run_id IN {run_ids:Array(UInt64)} AND member_id = {member_id:String}
