-- bench:segments: the generated baskets, one row a swipe with its lines as parallel arrays
-- (integers: quantities in grams or thousandths, prices in 1/10,000, amounts in cents), from
-- which insert-swipes.sql and insert-swipe-lines.sql write the platform's tables. Dropped after.
CREATE TABLE IF NOT EXISTS bench_baskets (
  n                   UInt64,
  member              UInt64,
  card_number         String,
  store_id            String,
  txn_id              String,
  terminal_id         String,
  occurred_at         DateTime64(3, 'UTC'),
  utc_offset_minutes  Int16,
  kind                Enum8('sale' = 1, 'return' = 2),
  original_txn_id     String,
  coupon_codes        Array(String),
  skus                Array(UInt32),
  categories          Array(String),
  quantities          Array(UInt32),
  prices              Array(UInt32),
  discounts           Array(UInt32),
  amounts             Array(UInt32)
)
ENGINE = MergeTree
ORDER BY n
