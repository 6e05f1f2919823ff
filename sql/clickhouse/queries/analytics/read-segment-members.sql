-- One keyset page of a segment's members in one RFM run, by member id (GET
-- /v1/segments/:name/members). The JSON listing and the CSV export both read this statement,
-- so their columns and values are the same; monetary is text with 2 decimals ("5.00").
-- The caller appends the FORMAT. Params: run_id UInt64, segment String,
-- after String (the last member id of the previous page; '' for the first), limit UInt32.
SELECT member_id, r, f, m, recency_days, frequency, toDecimalString(monetary, 2) AS monetary
FROM rfm_scores
WHERE run_id = {run_id:UInt64} AND segment = {segment:String} AND member_id > {after:String}
ORDER BY member_id
LIMIT {limit:UInt32}
