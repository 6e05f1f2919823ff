-- The overview's figures per UTC day from daily_store_sales (docs/dashboards.md "Overview").
-- Days without swipes have no row; the reader fills them with zeros.
-- Params: from Date, to Date (both included).
SELECT
  day,                                 -- Date: JSON prints it as YYYY-MM-DD
  sum(sale_swipes) AS sale_swipes,
  sum(return_swipes) AS return_swipes,
  sum(gross_sales) AS gross_sales,
  sum(net_sales) AS net_sales,
  sum(basket_lines) AS basket_lines,
  sum(coupon_swipes) AS coupon_swipes,
  uniqExactMerge(cards) AS active_cards
FROM daily_store_sales
WHERE day BETWEEN {from:Date} AND {to:Date}
GROUP BY day
ORDER BY day
