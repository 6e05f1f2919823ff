-- One chunk issued: the last member id it covered (issued or dropped for consent) and the
-- coupons it added, committed with the coupons themselves.
-- $1 bigint campaign id, $2 text last member id, $3 integer coupons issued, $4 timestamptz now.
UPDATE campaigns
SET issued_through = $2, issued = issued + $3, updated_at = $4
WHERE id = $1
