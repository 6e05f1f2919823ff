-- Distinct cards with a sale over a whole range (a card active on several days counts once).
-- Params: from Date, to Date (both included).
SELECT uniqExactMerge(cards) AS active_cards
FROM daily_store_sales
WHERE day BETWEEN {from:Date} AND {to:Date}
