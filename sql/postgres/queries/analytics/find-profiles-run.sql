-- The newest done profiles run whose rows retention still keeps. No params.
SELECT id::int AS id, as_of, profile_window_days AS window_days, finished_at
FROM analytics_runs
WHERE state = 'done' AND 'profiles' = ANY (kinds) AND NOT 'profiles' = ANY (pruned)
ORDER BY id DESC
LIMIT 1
