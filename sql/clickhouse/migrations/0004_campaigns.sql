-- Campaigns in ClickHouse (docs/campaigns.md): who may be targeted (a snapshot of Postgres's
-- consent, tier and recent offers), who was assigned to which group at launch, the cards they
-- held then, and the coupon events the report counts.

-- Members who may receive a personalised offer, copied from Postgres for one preview or
-- launch (snapshot_id): active, consented to personalised_offers, with their tier and the
-- offers they received in the 30 days before. Dropped when the preview or launch is done.
CREATE TABLE IF NOT EXISTS campaign_candidates (
  snapshot_id    UInt64,
  member_id      String,
  tier           String,
  recent_offers  UInt32
)
ENGINE = MergeTree
PARTITION BY snapshot_id
ORDER BY member_id;

-- Each member a launch assigned: treated (gets a coupon) or holdout (gets nothing, measured
-- alike), with the personal scope chosen for them. Written once per campaign, in one insert;
-- a relaunch after a crash that came before the assignment was recorded deletes and redoes it.
CREATE TABLE IF NOT EXISTS campaign_assignments (
  campaign_id        UInt64,
  member_id          String,
  grp                Enum8('treated' = 1, 'holdout' = 2),
  category           String,                 -- the personal category ('' when the offer is not by category)
  expected_discount  Decimal(18, 2)          -- what the coupon would take off one typical visit's basket
)
ENGINE = ReplacingMergeTree
ORDER BY (campaign_id, member_id);

-- The cards each assigned member held at launch: the report reads swipes by card.
CREATE TABLE IF NOT EXISTS campaign_cards (
  campaign_id  UInt64,
  card_number  String,
  member_id    String
)
ENGINE = ReplacingMergeTree
ORDER BY (campaign_id, card_number);

-- Coupon events: issued (copied from Postgres after a launch) and redeemed (shipped with the
-- swipe that redeemed it). Keyed by what happened, so a re-sent event collapses (read FINAL).
CREATE TABLE IF NOT EXISTS coupon_events (
  campaign_id     UInt64,
  event           Enum8('issued' = 1, 'redeemed' = 2),
  code            String,
  member_id       String,
  at              DateTime64(3, 'UTC'),
  store_id        String,                    -- redeemed: where
  txn_id          String,                    -- redeemed: the swipe
  discount        Decimal(18, 2)             -- redeemed: what it took off
)
ENGINE = ReplacingMergeTree
ORDER BY (campaign_id, event, code);
