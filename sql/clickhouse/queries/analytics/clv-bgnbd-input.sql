-- What the BG/NBD fit needs of a run's members: each distinct (x, tx_days, t_days) and how
-- many members share it. Params: run_id UInt64.
SELECT x, tx_days, t_days, count() AS members
FROM clv_members
WHERE run_id = {run_id:UInt64}
GROUP BY x, tx_days, t_days
ORDER BY x, tx_days, t_days
