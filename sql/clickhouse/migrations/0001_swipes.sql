-- Every swipe and basket line, forever. Rows arrive from the ingest journal in batches whose
-- id is the insert's deduplication token, so a batch re-sent after a crash adds nothing
-- (non_replicated_deduplication_window). The Replacing engine, keyed by the natural id, is the
-- second guard: a duplicate that slipped past would still collapse on merge.
CREATE TABLE IF NOT EXISTS swipes (
  journal_seq         UInt64,
  store_id            LowCardinality(String),
  txn_id              String,
  card_number         String,
  terminal_id         String,
  occurred_at         DateTime64(3, 'UTC'),
  utc_offset_minutes  Int16,                       -- the till's local offset, for local hour-of-day
  currency            LowCardinality(String),
  kind                Enum8('sale' = 1, 'return' = 2),
  original_txn_id     String,
  total               Decimal(18, 2),              -- as posted: a return's total is positive
  signed_total        Decimal(18, 2) MATERIALIZED if(kind = 'return', -total, total),
  discount_total      Decimal(18, 2),
  line_count          UInt32,
  coupon_codes        Array(String),
  received_at         DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(journal_seq)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (card_number, store_id, txn_id)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS swipe_lines (
  store_id            LowCardinality(String),
  txn_id              String,
  line_no             UInt32,
  card_number         String,
  occurred_at         DateTime64(3, 'UTC'),
  kind                Enum8('sale' = 1, 'return' = 2),
  sku                 String,
  category            LowCardinality(String),
  quantity            Decimal(18, 3),
  unit_price          Decimal(18, 4),
  discount            Decimal(18, 2),
  amount              Decimal(18, 2),              -- round(quantity * unit_price, 2) - discount, as posted
  signed_amount       Decimal(18, 2) MATERIALIZED if(kind = 'return', -amount, amount)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (card_number, store_id, txn_id, line_no)
SETTINGS non_replicated_deduplication_window = 10000;
