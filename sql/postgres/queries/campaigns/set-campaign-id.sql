-- The campaign id issued-events.sql reads, for this transaction only. $1 campaign id (text).
SELECT set_config('campaigns.campaign_id', $1, true)
