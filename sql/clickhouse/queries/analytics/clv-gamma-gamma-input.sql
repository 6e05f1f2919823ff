-- What the Gamma-Gamma fit needs: x and m of members with repeat purchases and a positive
-- mean spend, at most `limit` of them, picked by a hash of the member id (the same members
-- every run). Params: run_id UInt64, limit UInt64.
SELECT x, m
FROM clv_members
WHERE run_id = {run_id:UInt64} AND x > 0 AND m > 0
ORDER BY cityHash64(member_id)
LIMIT {limit:UInt64}
