-- Stores and their till keys, anonymous cards, and the ingest journal: every accepted swipe,
-- kept forever so a till's retry days later still finds its first answer, and shipped to
-- ClickHouse in batches (ship_batches) by the shipper.

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

CREATE TABLE ingest_journal (
  seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The writing transaction's id. Rows whose txid is below the oldest running transaction's
  -- are final (no other row can still appear before them), which lets the shipper read the
  -- journal in (txid, seq) order behind a cursor without updating journal rows.
  txid             xid8 NOT NULL DEFAULT pg_current_xact_id(),
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
  UNIQUE (store_id, txn_id)
);
CREATE INDEX ingest_journal_ship_order ON ingest_journal (txid, seq);
CREATE INDEX ingest_journal_returns ON ingest_journal (store_id, original_txn_id) WHERE original_txn_id IS NOT NULL;

-- One shipment to ClickHouse: the journal rows after (after_txid, after_seq) up to and
-- including (last_txid, last_seq). Its id is the ClickHouse insert's deduplication token; the
-- newest batch's end is the shipper's cursor.
CREATE TABLE ship_batches (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  after_txid  xid8 NOT NULL,
  after_seq   bigint NOT NULL,
  last_txid   xid8 NOT NULL,
  last_seq    bigint NOT NULL,
  row_count   integer NOT NULL,
  claimed_at  timestamptz NOT NULL DEFAULT now(),
  shipped_at  timestamptz,
  UNIQUE (after_txid, after_seq)                -- two shippers can never claim the same range
);
CREATE INDEX ship_batches_pending ON ship_batches (id) WHERE shipped_at IS NULL;
