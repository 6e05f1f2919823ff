-- The settings candidates.sql and card-map.sql read, for this transaction only (COPY takes no
-- bind parameters). Params: $1 snapshot id (text), $2 the snapshot instant (ISO 8601 text),
-- $3 the campaign whose own coupons do not count as recent offers (text, '0' for none).
SELECT set_config('campaigns.snapshot_id', $1, true),
       set_config('campaigns.snapshot_at', $2, true),
       set_config('campaigns.campaign_id', $3, true)
