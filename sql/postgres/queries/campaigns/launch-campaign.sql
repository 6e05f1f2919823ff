-- Everything the offers job reads of its campaign (services/campaigns/launch.ts).
-- $1 bigint campaign id.
SELECT id, name, state, audience, offer, personalisation, holdout_share::text AS holdout_share,
       frequency_cap, valid_from, valid_until, assigned_at, treated, holdout,
       issued_through, issued, launched_at
FROM campaigns
WHERE id = $1
