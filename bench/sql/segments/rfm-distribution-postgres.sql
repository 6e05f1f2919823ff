-- bench:segments' check: the baseline's scores as (measure, value, members), with a checksum
-- of every member's (member_id, r, f, m, segment) and the sums of the measures, for comparing
-- with rfm-distribution-clickhouse.sql row by row.
SELECT 'segment' AS measure, segment AS value, count(*)::text AS members FROM bench_rfm_scores GROUP BY segment
UNION ALL SELECT 'r', r::text, count(*)::text FROM bench_rfm_scores GROUP BY r
UNION ALL SELECT 'f', f::text, count(*)::text FROM bench_rfm_scores GROUP BY f
UNION ALL SELECT 'm', m::text, count(*)::text FROM bench_rfm_scores GROUP BY m
UNION ALL SELECT 'cell', r::text || f::text || m::text || ' ' || segment, count(*)::text FROM bench_rfm_scores GROUP BY r, f, m, segment
UNION ALL SELECT 'sum', 'recency_days frequency monetary', sum(recency_days) || ' ' || sum(frequency) || ' ' || sum(monetary) FROM bench_rfm_scores
UNION ALL SELECT 'checksum', 'members', sum(('x' || substr(md5(member_id || ':' || r::text || f::text || m::text || ':' || segment), 1, 8))::bit(32)::bigint)::text FROM bench_rfm_scores
