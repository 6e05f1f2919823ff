-- A run that failed; its ClickHouse rows are dropped by the caller. Params: $1 id, $2 error, $3 now.
UPDATE analytics_runs SET state = 'failed', error = $2, finished_at = $3 WHERE id = $1 AND state = 'running'
