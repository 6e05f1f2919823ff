-- Members and revenue (Σ monetary) per R × F cell of one RFM run. Empty cells have no row;
-- the reader lists all 25. Params: run_id UInt64.
SELECT r, f, count() AS members, sum(monetary) AS revenue
FROM rfm_scores
WHERE run_id = {run_id:UInt64}
GROUP BY r, f
