-- Stores and their till keys, anonymous cards, and the ingest journal: every accepted swipe,
-- kept forever so a till's retry days later still finds its first answer, and shipped to
-- ClickHouse in batches (ship_batches) by the forwarder.

CREATE TABLE stores (
  id          text PRIMARY KEY,                 -- public id: sto_...
  code        text NOT NULL UNIQUE,             -- the retailer's own store number
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE store_api_keys (
  id           text PRIMARY KEY,                -- public key id (the part before the secret): key_...
  store_id     text NOT NULL REFERENCES stores (id),
  secret_hash  text NOT NULL,                   -- hex SHA-256 of the 256-bit random secret
  scopes       text[] NOT NULL DEFAULT '{swipes:write}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
CREATE INDEX store_api_keys_store ON store_api_keys (store_id);

-- A card seen at a till before anyone registers it. Members (a later migration) claim cards.
CREATE TABLE cards (
  card_number     text PRIMARY KEY,
  status          text NOT NULL DEFAULT 'anonymous',
  first_store_id  text REFERENCES stores (id),
  first_seen_at   timestamptz NOT NULL DEFAULT now()
);

-- One shipment of journal rows to ClickHouse; its id is the insert's deduplication token.
CREATE TABLE ship_batches (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  first_seq   bigint,
  last_seq    bigint,
  row_count   integer NOT NULL DEFAULT 0,
  claimed_at  timestamptz NOT NULL DEFAULT now(),
  shipped_at  timestamptz
);
CREATE INDEX ship_batches_pending ON ship_batches (id) WHERE shipped_at IS NULL;

CREATE TABLE ingest_journal (
  seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  store_id         text NOT NULL REFERENCES stores (id),
  txn_id           text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('sale', 'return')),
  original_txn_id  text,
  card_number      text NOT NULL,
  body_hash        text NOT NULL,               -- hex SHA-256 of the normalized swipe: tells a retry from a conflict
  swipe            json NOT NULL,               -- the normalized swipe as accepted
  answer           json NOT NULL,               -- what the till was told; a retry gets it again
  ch_swipe         text NOT NULL,               -- its ClickHouse `swipes` row (TSV, without journal_seq)
  ch_lines         text NOT NULL,               -- its ClickHouse `swipe_lines` rows (TSV, one per line)
  received_at      timestamptz NOT NULL DEFAULT now(),
  batch_id         bigint REFERENCES ship_batches (id),
  UNIQUE (store_id, txn_id)
);
CREATE INDEX ingest_journal_unclaimed ON ingest_journal (seq) WHERE batch_id IS NULL;
CREATE INDEX ingest_journal_returns ON ingest_journal (store_id, original_txn_id) WHERE original_txn_id IS NOT NULL;
