-- bench:segments' baseline: sql/clickhouse/queries/analytics/rfm-segment-sizes.sql as Postgres SQL.
INSERT INTO bench_rfm_segment_sizes (segment, members, revenue, avg_r, avg_f, avg_m, avg_monetary)
SELECT segment, count(*), sum(monetary), avg(r), avg(f), avg(m), round(sum(monetary) / count(*), 2)
FROM bench_rfm_scores
GROUP BY segment
