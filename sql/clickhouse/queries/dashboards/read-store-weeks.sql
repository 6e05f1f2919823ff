-- Net sales per store and week (weeks start on Monday; the first and last may be partial) in a
-- range, from daily_store_sales (docs/dashboards.md "Stores"). Params: from Date, to Date.
SELECT store_id, toString(toMonday(day)) AS week, sum(net_sales) AS net_sales
FROM daily_store_sales
WHERE day BETWEEN {from:Date} AND {to:Date}
GROUP BY store_id, week
ORDER BY store_id, week
