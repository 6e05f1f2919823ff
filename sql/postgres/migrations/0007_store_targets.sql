-- Monthly sales targets per store (docs/dashboards.md "Stores"). Money is exact: numeric, never
-- a float. One row per store and month (the first day of the month); a PUT replaces the months
-- it names and leaves the others.
CREATE TABLE store_targets (
  store_id    text NOT NULL REFERENCES stores (id),
  month       date NOT NULL CHECK (extract(day FROM month) = 1),
  sales       numeric(14, 2) NOT NULL CHECK (sales >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text,                                   -- usr_… of the admin who set it
  PRIMARY KEY (store_id, month)
);

-- The overview's points issued and redeemed per day read the ledger by occurred_at. Without
-- this the only ways in were by member or by swipe, so any window was a sequential scan of the
-- whole ledger (the ledger grows by one entry per member swipe). With kind and points included
-- the planner can answer from the index alone (the ledger is append-only, so pages stay all-visible).
CREATE INDEX points_ledger_occurred ON points_ledger (occurred_at) INCLUDE (kind, points);

-- The coupon redemption rate counts coupons issued in a date range, and the redeemed among them.
CREATE INDEX coupons_issued_at ON coupons (issued_at) INCLUDE (state);
