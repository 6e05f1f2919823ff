-- Every `chunk`-th member id of a segment in one RFM run, in member id order: the keyset bounds
-- the CSV export reads the segment by, `chunk` rows a query (the embedded engine hands a
-- query's whole result over at once). Params: run_id UInt64, segment String, chunk UInt32.
SELECT member_id
FROM (
  SELECT member_id, row_number() OVER (ORDER BY member_id) AS n
  FROM rfm_scores
  WHERE run_id = {run_id:UInt64} AND segment = {segment:String}
)
WHERE n % {chunk:UInt32} = 0
ORDER BY member_id
