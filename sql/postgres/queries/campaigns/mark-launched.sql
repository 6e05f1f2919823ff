-- The launch is done: every coupon issued and copied to ClickHouse.
-- $1 bigint campaign id, $2 timestamptz now.
UPDATE campaigns
SET state = 'launched', launched_at = $2, updated_at = $2
WHERE id = $1 AND state = 'launching'
