-- bench:segments' check: one run's scores as rfm-distribution-postgres.sql gives them.
-- Params: run_id UInt64.
WITH scores AS (SELECT * FROM rfm_scores WHERE run_id = {run_id:UInt64})
SELECT 'segment' AS measure, toString(segment) AS value, toString(count()) AS members FROM scores GROUP BY segment
UNION ALL SELECT 'r', toString(r), toString(count()) FROM scores GROUP BY r
UNION ALL SELECT 'f', toString(f), toString(count()) FROM scores GROUP BY f
UNION ALL SELECT 'm', toString(m), toString(count()) FROM scores GROUP BY m
UNION ALL SELECT 'cell', concat(toString(r), toString(f), toString(m), ' ', toString(segment)), toString(count()) FROM scores GROUP BY r, f, m, segment
UNION ALL SELECT 'sum', 'recency_days frequency monetary', concat(toString(sum(recency_days)), ' ', toString(sum(frequency)), ' ', toString(toDecimal128(sum(monetary), 2))) FROM scores
UNION ALL SELECT 'checksum', 'members', toString(sum(reinterpretAsUInt32(reverse(substring(MD5(concat(member_id, ':', toString(r), toString(f), toString(m), ':', toString(segment))), 1, 4))))) FROM scores
