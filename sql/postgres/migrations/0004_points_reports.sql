-- Breakage per month (GET /v1/points/liability) sums the 'expire' entries of the ledger by
-- occurred_at; without this the report would scan every swipe's entry. Expiry entries are a
-- small share of the ledger, so the partial index stays small.
CREATE INDEX points_ledger_expired ON points_ledger (occurred_at) WHERE kind = 'expire';
