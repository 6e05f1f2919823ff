-- The campaign's coupons as 'issued' events, TabSeparated in the column order of
-- sql/clickhouse/queries/campaigns/insert-coupon-events.sql. COPY takes no bind parameters, so
-- the campaign id is read from the transaction-local setting campaigns.campaign_id
-- (set-campaign-id.sql, bound). The time is UTC text ClickHouse's DateTime64(3) reads as is.
COPY (
  SELECT campaign_id, 'issued', code, member_id,
         to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS'), '', '', '0'
  FROM coupons
  WHERE campaign_id = current_setting('campaigns.campaign_id')::bigint
) TO STDOUT
