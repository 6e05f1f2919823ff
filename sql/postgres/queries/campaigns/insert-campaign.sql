-- A new draft campaign (services/campaigns/campaigns.repo.ts). Params: $1 name, $2 audience
-- (jsonb, as given), $3 offer (jsonb), $4 personalisation, $5 budget_cents (bigint, nullable),
-- $6 holdout_share (numeric), $7 frequency_cap, $8 valid_from, $9 valid_until, $10 created_by,
-- $11 now.
INSERT INTO campaigns (name, audience, offer, personalisation, budget_cents, holdout_share, frequency_cap,
                       valid_from, valid_until, created_by, created_at, updated_at)
VALUES ($1, $2::jsonb, $3::jsonb, $4, $5::bigint, $6::numeric, $7, $8::timestamptz, $9::timestamptz, $10, $11, $11)
RETURNING *
