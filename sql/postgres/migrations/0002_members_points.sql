-- Members and their cards, staff users, the audit log, and the points ledger with its lots,
-- balances, redemptions and the earning configuration (kept as history). Design notes:
-- docs/points.md.

-- A member. A card first seen at a till gets an anonymous member of its own, so its points
-- have an owner from the first swipe; registering fills in the personal data, and linking
-- that card to an existing member merges the anonymous one into them.
CREATE TABLE members (
  id                  text PRIMARY KEY DEFAULT 'mem_' || replace(gen_random_uuid()::text, '-', ''),
  status              text NOT NULL DEFAULT 'anonymous'
                      CHECK (status IN ('anonymous', 'active', 'blocked', 'merged', 'erased')),
  name                text,
  email               text,
  phone               text,
  birthday            date,
  preferred_store_id  text REFERENCES stores (id),
  merged_into         text REFERENCES members (id),    -- set when status = 'merged'
  secret_hash         text,                            -- the member's PIN or password, scrypt (members/credentials.ts)
  failed_sign_ins     integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  registered_at       timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  erased_at           timestamptz,
  CHECK ((status = 'merged') = (merged_into IS NOT NULL))
);
CREATE UNIQUE INDEX members_email ON members (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX members_merged_into ON members (merged_into) WHERE merged_into IS NOT NULL;

-- Marketing consent, one row per member and channel: its current state and when it was given
-- or withdrawn. consent_events keeps every change. No row means never given.
CREATE TABLE member_consents (
  member_id   text NOT NULL REFERENCES members (id),
  channel     text NOT NULL CHECK (channel IN ('email', 'sms', 'personalised_offers')),
  granted     boolean NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  source      text NOT NULL,                           -- 'member', 'staff:usr_…', 'import'
  PRIMARY KEY (member_id, channel)
);
CREATE TABLE consent_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id   text NOT NULL REFERENCES members (id),
  channel     text NOT NULL,
  granted     boolean NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  source      text NOT NULL
);
CREATE INDEX consent_events_member ON consent_events (member_id, id);

-- Cards now belong to members. Every card seen so far gets an anonymous member of its own.
ALTER TABLE cards ADD COLUMN member_id text;
ALTER TABLE cards ADD COLUMN blocked_at timestamptz;
ALTER TABLE cards ADD COLUMN replaced_by text REFERENCES cards (card_number);
UPDATE cards SET member_id = 'mem_' || replace(gen_random_uuid()::text, '-', ''), status = 'active';
INSERT INTO members (id, created_at) SELECT member_id, first_seen_at FROM cards;
ALTER TABLE cards ALTER COLUMN member_id SET NOT NULL;
ALTER TABLE cards ADD CONSTRAINT cards_member FOREIGN KEY (member_id) REFERENCES members (id);
ALTER TABLE cards ALTER COLUMN status SET DEFAULT 'active';
ALTER TABLE cards ADD CONSTRAINT cards_status CHECK (status IN ('active', 'blocked'));
CREATE INDEX cards_member ON cards (member_id);

-- Staff users of the console and the staff API.
CREATE TABLE staff_users (
  id               text PRIMARY KEY,                   -- usr_…
  email            text NOT NULL,
  name             text NOT NULL,
  password_hash    text NOT NULL,                      -- scrypt (platform/passwords.ts)
  roles            text[] NOT NULL CHECK (roles <@ ARRAY['admin', 'marketer', 'analyst', 'support']::text[] AND cardinality(roles) > 0),
  failed_sign_ins  integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  disabled_at      timestamptz
);
CREATE UNIQUE INDEX staff_users_email ON staff_users (lower(email));

-- Who changed what, when, with the record before and after. Append-only.
CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_type   text NOT NULL CHECK (actor_type IN ('staff', 'member', 'till', 'system')),
  actor_id     text,
  action       text NOT NULL,                          -- 'member.update', 'points.adjust', 'member.merge', …
  entity_type  text NOT NULL,
  entity_id    text NOT NULL,
  before       jsonb,
  after        jsonb,
  request_id   text
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id);

-- A member's points account: the balance (always Σ points_ledger.points of the member) and the
-- tier. tier_floor is the tier held after the last review: a return can undo an upgrade it
-- paid for, never push below the floor (downgrades wait for the review).
CREATE TABLE point_accounts (
  member_id   text PRIMARY KEY REFERENCES members (id),
  balance     bigint NOT NULL DEFAULT 0,
  tier        text,
  tier_floor  text,
  tier_since  timestamptz,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The append-only points ledger. Every swipe of a member's card books one entry (an 'earn' of
-- a sale, possibly 0 points, or a 'reverse' of a return), so the till's answer and a return's
-- exact reversal can always be found by (store_id, txn_id).
-- Ledger and lot ids are reserved in blocks of 1,024 (points/ledger.ts): one nextval per
-- booking instead of one per row, so a write group of thousands of swipes reserves its ids in
-- one call. Ids rise with time within a writer; gaps are expected.
CREATE SEQUENCE points_id_blocks;

CREATE TABLE points_ledger (
  id             bigint PRIMARY KEY,                   -- from points_id_blocks
  member_id      text NOT NULL REFERENCES members (id),
  kind           text NOT NULL CHECK (kind IN ('earn', 'redeem', 'reverse', 'expire', 'adjust', 'restore', 'merge_in', 'merge_out')),
  points         bigint NOT NULL,                      -- signed: + adds to the balance
  balance_after  bigint NOT NULL,
  reason         text NOT NULL,
  source_type    text NOT NULL CHECK (source_type IN ('swipe', 'redemption', 'campaign', 'staff', 'system', 'member')),
  source_id      text,                                 -- usr_…, red_…, cmp_…, mem_… (merges), job name
  store_id       text,                                 -- swipes and redemptions (no FK: see below)
  txn_id         text,                                 -- swipes
  occurred_at    timestamptz NOT NULL,                 -- when it happened: a swipe's occurred_at
  booked_at      timestamptz NOT NULL DEFAULT now(),
  detail         json                                  -- earn: breakdown, per-line points, bonuses, tier (json: kept as written, read whole, never searched; cheaper to insert than jsonb)
);
CREATE INDEX points_ledger_member ON points_ledger (member_id, id);
CREATE UNIQUE INDEX points_ledger_swipe ON points_ledger (store_id, txn_id) WHERE source_type = 'swipe';

CREATE FUNCTION points_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'points_ledger is append-only: book a correcting entry instead';
END $$;
CREATE TRIGGER points_ledger_append_only BEFORE UPDATE OR DELETE ON points_ledger
  FOR EACH ROW EXECUTE FUNCTION points_ledger_append_only();

-- Points in lots: one per positive entry, with its own expiry. Redemptions, reversals and
-- expiry draw from lots (oldest expiry first); lot_draws records each draw so a cancelled
-- redemption returns its points to the same lots.
-- Foreign keys and the hot path: every purchase writes a ledger entry, a lot and a day of
-- spend. Their checks cost ~5 µs a row each (a third of the ledger insert), and they would
-- only re-check what ledger.ts guarantees in the same transaction: the member's account is
-- locked (its own FK proves the member), the lot names the entry it was booked with, and a
-- store id comes from a verified till key. So the ledger keeps its member FK, and these
-- tables, written only by ledger.ts and swipe-points.ts, carry none.
CREATE TABLE point_lots (
  id          bigint PRIMARY KEY,                      -- from points_id_blocks
  member_id   text NOT NULL,
  ledger_id   bigint NOT NULL,                         -- the entry that opened it
  points      bigint NOT NULL CHECK (points > 0),
  remaining   bigint NOT NULL CHECK (remaining >= 0 AND remaining <= points),
  earned_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX point_lots_open ON point_lots (member_id, expires_at, earned_at, id) WHERE remaining > 0;
CREATE INDEX point_lots_expiring ON point_lots (expires_at) WHERE remaining > 0;
CREATE INDEX point_lots_ledger ON point_lots (ledger_id);

CREATE TABLE lot_draws (
  ledger_id  bigint NOT NULL,
  lot_id     bigint NOT NULL,
  points     bigint NOT NULL CHECK (points > 0),
  PRIMARY KEY (ledger_id, lot_id)
);
CREATE INDEX lot_draws_lot ON lot_draws (lot_id);

-- Net spend per member and UTC day (returns subtract, on the day of their sale), for tiers by
-- rolling 12-month spend. Re-pointed to the survivor when members merge.
CREATE TABLE member_daily_spend (
  member_id  text NOT NULL,
  day        date NOT NULL,
  amount     numeric(18, 2) NOT NULL,
  PRIMARY KEY (member_id, day)
);

-- Tier changes, for the member's history and the tier review.
CREATE TABLE tier_changes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id   text NOT NULL REFERENCES members (id),
  from_tier   text,
  to_tier     text NOT NULL,
  change      text NOT NULL CHECK (change IN ('assigned', 'upgrade', 'downgrade', 'reversal')),
  spend_12m   numeric(18, 2) NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tier_changes_member ON tier_changes (member_id, id);

-- Points as tender: a till's redemption, idempotent on (store_id, request_id).
CREATE TABLE redemptions (
  id            text PRIMARY KEY,                       -- red_…
  store_id      text NOT NULL REFERENCES stores (id),
  request_id    text NOT NULL,                          -- the till's idempotency key
  member_id     text NOT NULL REFERENCES members (id),
  card_number   text NOT NULL,
  points        bigint NOT NULL CHECK (points > 0),
  ledger_id     bigint NOT NULL REFERENCES points_ledger (id),
  status        text NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'cancelled')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  cancelled_at  timestamptz,
  UNIQUE (store_id, request_id)
);

-- The earning rules and the tier ladder as history: each change is a new version, the newest
-- is in force, and a swipe is scored with the rules whose windows cover its occurred_at.
CREATE TABLE earning_rule_sets (
  version     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rules       jsonb NOT NULL,                           -- EarningRulesSchema (points/earning-rules.schemas.ts)
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text                                      -- usr_…; null for the default below
);
CREATE TABLE tier_ladders (
  version     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tiers       jsonb NOT NULL,                           -- TiersSchema (points/tiers.schemas.ts)
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text
);

-- A programme that works out of the box: 1 point per unit of EUR, USD or GBP; three tiers.
INSERT INTO earning_rule_sets (rules) VALUES ('{
  "base_rates": [
    {"id": "rul_base_eur", "name": "Base points", "currency": "EUR", "points_per_unit": "1.0000"},
    {"id": "rul_base_usd", "name": "Base points", "currency": "USD", "points_per_unit": "1.0000"},
    {"id": "rul_base_gbp", "name": "Base points", "currency": "GBP", "points_per_unit": "1.0000"}
  ],
  "multipliers": [], "tier_multipliers": [], "bonuses": []
}');
INSERT INTO tier_ladders (tiers) VALUES ('[
  {"code": "bronze", "name": "Bronze", "min_spend": "0.00"},
  {"code": "silver", "name": "Silver", "min_spend": "500.00"},
  {"code": "gold", "name": "Gold", "min_spend": "1500.00"}
]');

-- Every member has a points account from the moment it exists, on the entry tier of the newest
-- ladder, whichever path made it (a till's first swipe, staff registration, a backfill): the
-- swipe path locks accounts and must always find one. Once per statement, not per row.
CREATE FUNCTION members_open_point_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO point_accounts (member_id, tier, tier_floor, tier_since)
  SELECT a.id, e.code, e.code, now()
  FROM added a,
       (SELECT tiers -> 0 ->> 'code' AS code FROM tier_ladders ORDER BY version DESC LIMIT 1) e
  ON CONFLICT (member_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER members_open_point_accounts AFTER INSERT ON members
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION members_open_point_accounts();

-- The members made above for cards seen before this migration.
INSERT INTO point_accounts (member_id, tier, tier_floor, tier_since)
SELECT id, 'bronze', 'bronze', now() FROM members
ON CONFLICT (member_id) DO NOTHING;
