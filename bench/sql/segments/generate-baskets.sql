-- bench:segments: {swipes} baskets over {members} members' cards, every value a deterministic
-- function of the row number n (cityHash64 of n and a salt), so runs compare.
-- Who shops: 45 % of swipes pick any member, 35 % one of the first fifth, 20 % one of the first
-- 3 % (regulars), so frequency is skewed (ties at the low end, a long tail). When: a quarter of
-- members stop shopping on a day of their own (churned), an eighth start late (new); days are
-- spread over the {days} days before as_of's day, local time 07:00-22:00, offsets by store
-- (CET/CEST, GMT/BST, US Eastern). Where: 80 % at the member's home store, of {stores}.
-- What: sales of 2-4 lines, 4 % returns of 1-2 lines; SKUs skewed towards popular ones, each in
-- one of 20 categories (1 % without one); weighed goods by the gram; 8 % of sales carry a
-- coupon and 10 % off their first line.
-- Params: swipes UInt64, members UInt64, stores UInt32, skus UInt32, days UInt32,
--         as_of DateTime64(3, 'UTC').
INSERT INTO bench_baskets
WITH
  ['Dairy', 'Bakery', 'Produce', 'Meat', 'Fish', 'Frozen', 'Drinks', 'Beer & Wine', 'Household', 'Baby',
   'Snacks', 'Deli', 'Pantry', 'Breakfast', 'Health & Beauty', 'Pet', 'Confectionery', 'Tea & Coffee',
   'World Foods', 'Flowers'] AS category_names,
  toDate({as_of:DateTime64(3, 'UTC')}) - ({days:UInt32} + 1) AS first_date
SELECT
  n, member,
  concat('6', leftPad(toString(member), 12, '0')) AS card_number,
  concat('sto_', leftPad(toString(store_no), 4, '0')) AS store_id,
  concat('T', leftPad(toString(n), 10, '0')) AS txn_id,
  concat('till-', toString(1 + cityHash64(n, 18) % 8)) AS terminal_id,
  toDateTime64(local_date, 3, 'UTC') + toIntervalMillisecond(local_ms - toInt64(utc_offset_minutes) * 60000) AS occurred_at,
  utc_offset_minutes,
  kind,
  if(kind = 'return', concat('T', leftPad(toString(cityHash64(n, 17) % greatest(n, 1)), 10, '0')), '') AS original_txn_id,
  if(coupon, [concat('CPN-', toString(cityHash64(n, 19) % 50))], []) AS coupon_codes,
  skus, categories, quantities, prices, discounts,
  arrayMap((q, p, d) -> toUInt32(intDiv(toUInt64(q) * p + 50000, 100000) - d), quantities, prices, discounts) AS amounts
FROM (
  SELECT
    number AS n,
    cityHash64(n, 1) % 1000000 / 1e6 AS pick,
    multiIf(pick < 0.45, cityHash64(n, 2) % {members:UInt64},
            pick < 0.80, cityHash64(n, 2) % greatest(1, intDiv({members:UInt64}, 5)),
            cityHash64(n, 2) % greatest(1, intDiv({members:UInt64} * 3, 100))) AS member,
    cityHash64(member, 7) % 100 AS life,
    if(life < 25, 30 + cityHash64(member, 8) % ({days:UInt32} - 30), {days:UInt32}) AS last_day,
    if(life >= 88, cityHash64(member, 9) % {days:UInt32}, 0) AS first_day,
    first_date + toUInt32(first_day + floor((last_day - first_day) * (cityHash64(n, 3) % 1000000 / 1e6))) AS local_date,
    toInt64(7 * 3600000 + floor((cityHash64(n, 20) % 1000000 + cityHash64(n, 21) % 1000000) / 2e6 * 15 * 3600000)) AS local_ms,
    if(cityHash64(n, 4) % 100 < 80, 1 + cityHash64(member, 10) % {stores:UInt32}, 1 + cityHash64(n, 5) % {stores:UInt32}) AS store_no,
    toMonth(local_date) BETWEEN 4 AND 10 AS summer,
    toInt16(multiIf(store_no % 10 < 7, if(summer, 120, 60), store_no % 10 < 9, if(summer, 60, 0), if(summer, -240, -300))) AS utc_offset_minutes,
    CAST(if(cityHash64(n, 6) % 100 < 4, 'return', 'sale'), 'Enum8(\'sale\' = 1, \'return\' = 2)') AS kind,
    kind = 'sale' AND cityHash64(n, 14) % 100 < 8 AS coupon,
    range(1, toUInt32(if(kind = 'sale', 2 + cityHash64(n, 11) % 3, 1 + cityHash64(n, 11) % 2)) + 1) AS line_nos,
    arrayMap(l -> toUInt32(floor({skus:UInt32} * pow(cityHash64(n, l, 12) % 1000000 / 1e6, 2.5))), line_nos) AS skus,
    arrayMap(k -> if(k % 97 = 0, '', category_names[1 + k % 20]), skus) AS categories,
    arrayMap((c, l) -> toUInt32(if(c IN ('Produce', 'Meat', 'Fish', 'Deli'),
                                   250 + cityHash64(n, l, 15) % 1750,
                                   1000 * (1 + if(cityHash64(n, l, 15) % 10 = 0, 1 + cityHash64(n, l, 16) % 2, 0)))),
             categories, line_nos) AS quantities,
    arrayMap(k -> toUInt32(100 * (49 + cityHash64(k, 13) % 1950)), skus) AS prices,
    arrayMap((q, p, l) -> toUInt32(if(coupon AND l = 1, intDiv(intDiv(toUInt64(q) * p + 50000, 100000), 10), 0)), quantities, prices, line_nos) AS discounts
  FROM numbers({swipes:UInt64})
)
