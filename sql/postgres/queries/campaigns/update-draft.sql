-- Replaces a draft's fields (the caller holds its row lock and checked the state). Params as
-- insert-campaign.sql: $1 id, $2 name, $3 audience, $4 offer, $5 personalisation,
-- $6 budget_cents, $7 holdout_share, $8 frequency_cap, $9 valid_from, $10 valid_until, $11 now.
UPDATE campaigns
SET name = $2, audience = $3::jsonb, offer = $4::jsonb, personalisation = $5, budget_cents = $6::bigint,
    holdout_share = $7::numeric, frequency_cap = $8, valid_from = $9::timestamptz, valid_until = $10::timestamptz,
    updated_at = $11
WHERE id = $1::bigint AND state = 'draft'
RETURNING *
