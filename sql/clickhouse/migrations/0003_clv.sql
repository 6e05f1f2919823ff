-- What the CLV stage of an analytics run writes (docs/clv.md), keyed and partitioned by the
-- run's id like the other analytics tables (0002_analytics.sql).

-- Each member's history as the models see it: repeat purchase days, recency and age in days,
-- and the mean net spend of the repeat purchase days.
CREATE TABLE IF NOT EXISTS clv_members (
  run_id        UInt64,
  member_id     String,
  x             UInt32,                    -- purchase days after the first
  tx_days       UInt32,                    -- first purchase day → last purchase day
  t_days        UInt32,                    -- first purchase day → as_of's date
  repeat_spend  Decimal(38, 2),            -- Σ net spend of the repeat purchase days
  m             Nullable(Float64)          -- repeat_spend / x; NULL when x = 0
)
ENGINE = MergeTree
PARTITION BY run_id
ORDER BY (x, tx_days, t_days, member_id);

-- The BG/NBD figures of each distinct (x, tx_days, t_days), computed in Node from the fitted
-- parameters: many members share one, so this is far smaller than clv_members.
CREATE TABLE IF NOT EXISTS clv_histories (
  run_id              UInt64,
  x                   UInt32,
  tx_days             UInt32,
  t_days              UInt32,
  p_alive             Float64,
  expected_visits_30  Float64,
  expected_visits_90  Float64,
  expected_visits_365 Float64,
  discounted_visits   Float64              -- Σ_k (E[Y(k months)] − E[Y(k−1 months)]) / (1 + d)^k
)
ENGINE = MergeTree
PARTITION BY run_id
ORDER BY (x, tx_days, t_days);

CREATE TABLE IF NOT EXISTS clv_scores (
  run_id                    UInt64,
  member_id                 String,
  x                         UInt32,
  tx_days                   UInt32,
  t_days                    UInt32,
  m                         Nullable(Float64),
  p_alive                   Float64,
  expected_visits_30        Float64,
  expected_visits_90        Float64,
  expected_visits_365       Float64,
  expected_spend_per_visit  Nullable(Float64),   -- NULL when the Gamma-Gamma fit is unusable
  clv                       Nullable(Decimal(18, 2)),
  churn_risk                Float64,
  churn_band                LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY run_id
ORDER BY member_id;

-- Each fitted model of a run: parameters and fit diagnostics.
CREATE TABLE IF NOT EXISTS clv_models (
  run_id          UInt64,
  model           LowCardinality(String),  -- 'bgnbd' | 'gamma_gamma'
  params          Map(String, Float64),
  log_likelihood  Float64,
  iterations      UInt32,
  converged       UInt8,
  members         UInt64,                  -- members the fit used
  note            String
)
ENGINE = MergeTree
PARTITION BY run_id
ORDER BY model;
