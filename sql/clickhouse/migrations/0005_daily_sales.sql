-- Daily sales per store and UTC day (docs/dashboards.md): what the Overview and Stores pages
-- read, so no dashboard query scans swipes. Fed by a materialized view as swipes are shipped.
--
-- Why a duplicate cannot double a figure: a materialized view sees each block inserted into
-- swipes. The shipper inserts each journal batch with its batch id as insert_deduplication_token
-- and swipes keeps non_replicated_deduplication_window, so a batch re-sent after a crash is
-- dropped by swipes' deduplication, and a block dropped in the source table is never pushed to
-- its views (ClickHouse's documented behaviour; tested in services/dashboards/daily-sales.int.test.ts,
-- "a re-sent batch counts once"). We chose this over keying the target by (store, day, txn) with
-- a Replacing engine because that table would be as large as swipes and need FINAL on every
-- read, and over reading swipes FINAL for recent days because that puts a scan back on the
-- page's path. The journal is unique by (store_id, txn_id) forever and ships each row in exactly
-- one batch, so the same swipe never arrives in two different blocks; the target keeps its own
-- deduplication window too, for inserts made straight into it.
--
-- cards: the distinct cards with a sale, as a uniqExact state (it holds 128-bit hashes of the
-- card numbers, not the numbers), so days and stores merge into an exact count for any range.
CREATE TABLE IF NOT EXISTS daily_store_sales (
  store_id       LowCardinality(String),
  day            Date,
  sale_swipes    SimpleAggregateFunction(sum, UInt64),
  return_swipes  SimpleAggregateFunction(sum, UInt64),
  gross_sales    SimpleAggregateFunction(sum, Decimal(38, 2)),   -- Σ sale totals
  returns_total  SimpleAggregateFunction(sum, Decimal(38, 2)),   -- Σ return totals (positive)
  net_sales      SimpleAggregateFunction(sum, Decimal(38, 2)),   -- gross_sales − returns_total
  basket_lines   SimpleAggregateFunction(sum, UInt64),           -- Σ line_count of sales
  coupon_swipes  SimpleAggregateFunction(sum, UInt64),           -- sales that carried a coupon code
  cards          AggregateFunction(uniqExact, String)            -- cards with a sale
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, store_id)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS daily_store_sales_mv TO daily_store_sales AS
SELECT
  store_id,
  toDate(occurred_at) AS day,
  toUInt64(countIf(kind = 'sale')) AS sale_swipes,
  toUInt64(countIf(kind = 'return')) AS return_swipes,
  toDecimal128(sumIf(total, kind = 'sale'), 2) AS gross_sales,
  toDecimal128(sumIf(total, kind = 'return'), 2) AS returns_total,
  toDecimal128(sumIf(total, kind = 'sale') - sumIf(total, kind = 'return'), 2) AS net_sales,
  toUInt64(sumIf(line_count, kind = 'sale')) AS basket_lines,
  toUInt64(countIf(kind = 'sale' AND notEmpty(coupon_codes))) AS coupon_swipes,
  uniqExactStateIf(card_number, kind = 'sale') AS cards
FROM swipes
-- An erasure copies a member's swipes under their pseudonym ('erased-…', members/erase-member.ts)
-- and then deletes the originals by a mutation, which views never see: the copies must not count
-- again. (A swipe still unshipped when its member was erased, about a second's window, ships
-- under the pseudonym and is left out too; docs/dashboards.md.)
WHERE NOT startsWith(card_number, 'erased-')
GROUP BY store_id, day;

-- The swipes already shipped, read FINAL so a duplicate that slipped in before counts once.
-- Runs only while the target is empty, so re-running the file adds nothing. The platform runs
-- migrations before the shipper starts, so no batch lands between the view and this backfill.
INSERT INTO daily_store_sales
SELECT
  store_id,
  toDate(occurred_at) AS day,
  toUInt64(countIf(kind = 'sale')),
  toUInt64(countIf(kind = 'return')),
  toDecimal128(sumIf(total, kind = 'sale'), 2),
  toDecimal128(sumIf(total, kind = 'return'), 2),
  toDecimal128(sumIf(total, kind = 'sale') - sumIf(total, kind = 'return'), 2),
  toUInt64(sumIf(line_count, kind = 'sale')),
  toUInt64(countIf(kind = 'sale' AND notEmpty(coupon_codes))),
  uniqExactStateIf(card_number, kind = 'sale')
FROM swipes FINAL
WHERE (SELECT count() FROM daily_store_sales) = 0
GROUP BY store_id, day
SETTINGS do_not_merge_across_partitions_select_final = 1;
