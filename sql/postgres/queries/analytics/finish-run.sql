-- Publishes a run: from here readers see it. Params: $1 id, $2 cards, $3 profiles, $4 scored,
-- $5 valued, $6 seconds per stage (jsonb), $7 now.
UPDATE analytics_runs
SET state = 'done', cards = $2, profiles = $3, scored = $4, valued = $5, seconds = $6, finished_at = $7
WHERE id = $1 AND state = 'running'
RETURNING id
