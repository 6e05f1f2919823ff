-- The run id card-map.sql reads, for this transaction only. Params: $1 run id (text).
SELECT set_config('analytics.run_id', $1, true)
