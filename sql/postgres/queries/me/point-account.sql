-- A member's points balance and tier (no row until their first booking). $1 member id.
SELECT balance, tier, tier_since FROM point_accounts WHERE member_id = $1
