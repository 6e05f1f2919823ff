-- What the analytics runs write (docs/segments.md). Every table is keyed by the run's id
-- (analytics_runs.id in Postgres) and partitioned by it, so a failed run or an old one is
-- dropped as a whole partition, and a reader asks for one run only.

-- Which member held each card when the run started, copied from Postgres; dropped after the run.
CREATE TABLE IF NOT EXISTS card_members (
  run_id       UInt64,
  card_number  String,
  member_id    String
)
ENGINE = MergeTree
PARTITION BY run_id
ORDER BY card_number;

CREATE TABLE IF NOT EXISTS member_profiles (
  run_id                      UInt64,
  member_id                   String,
  visits                      UInt32,
  sales                       Decimal(18, 2),
  returns                     Decimal(18, 2),
  spend                       Decimal(18, 2),
  avg_basket                  Decimal(18, 2),
  first_visit                 DateTime64(3, 'UTC'),
  last_visit                  DateTime64(3, 'UTC'),
  days_since_last_visit       UInt32,
  median_days_between_visits  Nullable(Float64),
  preferred_store_id          String,
  weekday_visits              Array(UInt32),        -- 7: Monday first, local time
  hour_visits                 Array(UInt32),        -- 24: hour 0 first, local time
  top_categories              Array(Tuple(category String, spend Decimal(18, 2), share Float64, lift Float64)),
  top_skus                    Array(Tuple(sku String, spend Decimal(18, 2), quantity Decimal(18, 3), visits UInt32)),
  coupon_visits               UInt32,
  coupon_rate                 Float64,
  recent_spend                Decimal(18, 2),
  previous_spend              Decimal(18, 2),
  recent_visits               UInt32,
  previous_visits             UInt32,
  trend                       Nullable(Float64)
)
ENGINE = MergeTree
PARTITION BY run_id
ORDER BY member_id;

-- One row per active member and run: the snapshots segment history and migration read.
CREATE TABLE IF NOT EXISTS rfm_scores (
  run_id        UInt64,
  member_id     String,
  recency_days  UInt32,
  frequency     UInt32,
  monetary      Decimal(18, 2),
  r             UInt8,
  f             UInt8,
  m             UInt8,
  segment       LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY run_id
ORDER BY (segment, member_id);

-- Per run and segment, written at the end of a run: segment sizes over time without
-- scanning every snapshot.
CREATE TABLE IF NOT EXISTS rfm_segment_sizes (
  run_id      UInt64,
  segment     LowCardinality(String),
  members     UInt32,
  revenue     Decimal(38, 2),
  avg_r       Float64,
  avg_f       Float64,
  avg_m       Float64,
  avg_monetary Decimal(38, 2)
)
ENGINE = MergeTree
PARTITION BY run_id
ORDER BY segment;
