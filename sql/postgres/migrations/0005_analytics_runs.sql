-- One analytics run (docs/segments.md, docs/clv.md): profiles, RFM, CLV, or several, as of one
-- instant. Its rows live in ClickHouse under run_id = id. Readers take only runs whose state
-- is 'done', so a run is published at once, never seen half-written.
CREATE TABLE analytics_runs (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kinds                text[] NOT NULL CHECK (cardinality(kinds) > 0 AND kinds <@ ARRAY['profiles', 'rfm', 'clv']),
  state                text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
  as_of                timestamptz NOT NULL,
  profile_window_days  integer CHECK (profile_window_days > 0),
  rfm_window_days      integer CHECK (rfm_window_days > 0),
  clv_horizon_months   integer CHECK (clv_horizon_months > 0),
  clv_monthly_discount numeric CHECK (clv_monthly_discount >= 0 AND clv_monthly_discount < 1),
  job_id               text,                      -- the BullMQ job that ran it (queue.id)
  cards                integer,                   -- cards in the run's card map
  profiles             integer,                   -- rows written, once done
  scored               integer,
  valued               integer,                   -- members with a CLV
  seconds              jsonb NOT NULL DEFAULT '{}', -- wall time per stage
  error                text,
  pruned               text[] NOT NULL DEFAULT '{}', -- kinds whose ClickHouse rows were dropped (retention)
  started_at           timestamptz NOT NULL DEFAULT now(),
  finished_at          timestamptz,
  CHECK (('profiles' = ANY (kinds)) = (profile_window_days IS NOT NULL)),
  CHECK (('rfm' = ANY (kinds)) = (rfm_window_days IS NOT NULL)),
  CHECK (('clv' = ANY (kinds)) = (clv_horizon_months IS NOT NULL AND clv_monthly_discount IS NOT NULL))
);
CREATE INDEX analytics_runs_done ON analytics_runs (id DESC) WHERE state = 'done';
