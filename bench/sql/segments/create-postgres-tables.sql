-- bench:segments: the Postgres baseline's copy of the swipes and what its RFM writes, the
-- columns of ClickHouse's rfm_scores and rfm_segment_sizes. Created fresh by each bench.
CREATE TABLE bench_swipes (
  card_number   text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  kind          text NOT NULL,
  signed_total  numeric(18, 2) NOT NULL
);
CREATE TABLE bench_rfm_scores (
  member_id     text NOT NULL,
  recency_days  integer NOT NULL,
  frequency     integer NOT NULL,
  monetary      numeric(18, 2) NOT NULL,
  r             smallint NOT NULL,
  f             smallint NOT NULL,
  m             smallint NOT NULL,
  segment       text NOT NULL
);
CREATE TABLE bench_rfm_segment_sizes (
  segment       text NOT NULL,
  members       integer NOT NULL,
  revenue       numeric(38, 2) NOT NULL,
  avg_r         double precision NOT NULL,
  avg_f         double precision NOT NULL,
  avg_m         double precision NOT NULL,
  avg_monetary  numeric(38, 2) NOT NULL
)
