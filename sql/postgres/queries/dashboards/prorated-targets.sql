-- Each store's sales target for a period: Σ over the months the period touches of the month's
-- target × the period's days in that month ÷ the month's days, rounded to cents once at the end.
-- A store appears only if every month the period touches has a target (a partly covered period
-- would make attainment look better than it is). Params: $1 from date, $2 to date (both included).
WITH months AS (
  SELECT m::date AS month,
         (least($2::date, (m + interval '1 month')::date - 1) - greatest($1::date, m::date) + 1) AS days,
         ((m + interval '1 month')::date - m::date) AS month_days
  FROM generate_series(date_trunc('month', $1::date), date_trunc('month', $2::date), interval '1 month') AS m
)
SELECT t.store_id, round(sum(t.sales * m.days / m.month_days), 2)::text AS target
FROM store_targets t JOIN months m ON m.month = t.month
GROUP BY t.store_id
HAVING count(*) = (SELECT count(*) FROM months)
