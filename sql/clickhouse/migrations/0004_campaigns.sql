-- Campaigns in ClickHouse (docs/campaigns.md): who may be targeted (a snapshot of Postgres's
-- consent, tier and recent offers), who was assigned to which group at launch, the cards they
-- held then, and the coupon events the report counts.

-- Every member an audience may hold, copied from Postgres for one preview or launch
-- (snapshot_id): its tier now, whether it may receive a personalised offer (active and
-- consented to personalised_offers), and the offers it received in the 30 days before. All
-- members, not only consenting ones, so the preview counts the audience before consent too.
-- Dropped when the preview or launch is done (services/campaigns/candidates.ts).
CREATE TABLE IF NOT EXISTS campaign_candidates (
  snapshot_id    UInt64,
  member_id      String,
  tier           String,
  consented      UInt8,
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

-- Which member holds each card, copied from Postgres at launch (snapshot_id) so that only the
-- assigned members' cards go on to campaign_cards; dropped right after (services/campaigns/assign.ts).
CREATE TABLE IF NOT EXISTS campaign_card_map (
  snapshot_id  UInt64,
  card_number  String,
  member_id    String
)
ENGINE = MergeTree
PARTITION BY snapshot_id
ORDER BY member_id;

-- The cards each assigned member held at launch: the report reads swipes by card.
CREATE TABLE IF NOT EXISTS campaign_cards (
  campaign_id  UInt64,
  card_number  String,
  member_id    String
)
ENGINE = ReplacingMergeTree
ORDER BY (campaign_id, card_number);

-- Coupon events: issued (copied from Postgres after a launch) and redeemed (shipped with the
-- swipe that redeemed it). Keyed by what happened, so a re-sent event collapses (read FINAL);
-- redemptions ship with the journal batch's dedup token, so a re-sent batch adds nothing at all.
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
ORDER BY (campaign_id, event, code)
SETTINGS non_replicated_deduplication_window = 10000;

-- The personalisation "a category they have stopped buying" (docs/segments.md "Profile",
-- lapsed_category): written by the profiles run, '' for members with none. Existing runs' rows
-- read '' too; they are replaced by the next run.
ALTER TABLE member_profiles ADD COLUMN IF NOT EXISTS lapsed_category String DEFAULT '';
