-- Targeted coupon campaigns (docs/campaigns.md): the campaign with its audience, offer and
-- caps; one coupon per treated member; the budget spent so far, kept on the campaign row so a
-- redemption checks and moves it under one row lock (never a periodic recount).
CREATE TABLE campaigns (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  state                text NOT NULL DEFAULT 'draft'
                       CHECK (state IN ('draft', 'launching', 'launched', 'cancelled')),
  audience             jsonb NOT NULL,              -- campaign.schemas.ts AudienceSchema
  offer                jsonb NOT NULL,              -- campaign.schemas.ts OfferSchema
  personalisation      text NOT NULL CHECK (personalisation IN ('none', 'top_category', 'lapsed_category')),
  budget_cents         bigint CHECK (budget_cents > 0),        -- NULL: no cap
  spent_cents          bigint NOT NULL DEFAULT 0 CHECK (spent_cents >= 0),
  holdout_share        numeric(5, 4) NOT NULL CHECK (holdout_share >= 0 AND holdout_share < 1),
  frequency_cap        integer NOT NULL CHECK (frequency_cap > 0),  -- offers per member in 30 days, all campaigns
  valid_from           timestamptz NOT NULL,
  valid_until          timestamptz NOT NULL,
  created_by           text NOT NULL,               -- staff user id
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  -- Launch (the offers job): the job, the analytics runs the audience was read from, when the
  -- assignment (treated / holdout) was written to ClickHouse, and how far issuing got: coupons
  -- are issued in member-id order, chunk by chunk, each chunk committing issued_through with it.
  launch_job_id        text,
  profile_run_id       bigint REFERENCES analytics_runs (id),
  rfm_run_id           bigint REFERENCES analytics_runs (id),
  clv_run_id           bigint REFERENCES analytics_runs (id),
  assigned_at          timestamptz,
  treated              integer,
  holdout              integer,
  issued_through       text,                        -- last member id whose coupon is issued
  issued               integer NOT NULL DEFAULT 0,
  launched_at          timestamptz,
  CHECK (valid_until > valid_from)
);

-- One coupon: a personal offer to one member in one campaign. The code is random (unguessable)
-- with a check character (coupon-codes.ts). The offer's terms are copied from the campaign and
-- the member's personal scope, so a coupon reads alone at the till.
CREATE TABLE coupons (
  code               text PRIMARY KEY,
  campaign_id        bigint NOT NULL REFERENCES campaigns (id),
  member_id          text NOT NULL REFERENCES members (id),
  kind               text NOT NULL CHECK (kind IN ('percent', 'amount')),
  value              numeric(12, 2) NOT NULL CHECK (value > 0),   -- percent (e.g. 10.00) or an amount of money
  max_discount_cents bigint CHECK (max_discount_cents > 0),       -- percent offers: the most one coupon takes off
  category           text,                        -- scope: lines of this category (NULL: see skus)
  skus               text[],                      -- scope: lines of these SKUs (NULL with category NULL: the whole basket)
  min_basket_cents   bigint NOT NULL DEFAULT 0 CHECK (min_basket_cents >= 0),
  valid_from         timestamptz NOT NULL,
  valid_until        timestamptz NOT NULL,
  state              text NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'redeemed', 'void')),
  issued_at          timestamptz NOT NULL DEFAULT now(),
  redeemed_at        timestamptz,
  redeemed_store_id  text,
  redeemed_txn_id    text,
  discount_cents     bigint,                      -- what the redemption took off
  UNIQUE (campaign_id, member_id),
  CHECK ((state = 'redeemed') = (redeemed_at IS NOT NULL))
);
CREATE INDEX coupons_member ON coupons (member_id, issued_at);
