-- Erasure of a member's personal data (docs/privacy.md). One row per erased member: the
-- pseudonym their cards became everywhere (Postgres and ClickHouse), and the state of the
-- erasure, so a run that stopped between the Postgres transaction and the ClickHouse rewrite
-- can be run again and finish.
CREATE TABLE member_erasures (
  member_id     text PRIMARY KEY REFERENCES members (id),
  pseudonym     text NOT NULL UNIQUE,                    -- 'erased-' + 128 random bits, hex
  -- 'clickhouse_pending': Postgres is done, ClickHouse still holds rows under the old numbers.
  state         text NOT NULL CHECK (state IN ('clickhouse_pending', 'done')),
  -- The erased card numbers, kept only while ClickHouse still has to be rewritten (it is the
  -- only way to find those rows); emptied when the erasure is done.
  card_numbers  text[] NOT NULL DEFAULT '{}',
  reason        text NOT NULL,
  requested_by  text,                                    -- usr_…
  requested_at  timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz,
  CHECK (state <> 'done' OR cardinality(card_numbers) = 0)
);

-- Every journal row of a card: erasure rewrites them, export lists the unshipped ones. Without
-- it both would scan the whole journal (every swipe, kept forever).
CREATE INDEX ingest_journal_card ON ingest_journal (card_number);
