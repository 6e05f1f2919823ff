-- A new version of the tier ladder. $1 tiers (TiersSchema JSON), $2 created at, $3 staff user id.
INSERT INTO tier_ladders (tiers, created_at, created_by)
VALUES ($1::jsonb, $2, $3)
RETURNING version, tiers, created_at, created_by
