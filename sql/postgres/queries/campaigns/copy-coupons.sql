-- One chunk's coupons, as TabSeparated text (services/campaigns/issue-coupons.ts). A code that
-- is already taken fails the whole COPY on the primary key; the chunk is retried with new codes.
COPY coupons (code, campaign_id, member_id, kind, value, max_discount_cents, category, skus,
              min_basket_cents, valid_from, valid_until, issued_at)
FROM STDIN
