-- Done runs whose rows retention drops now: profiles and CLV beyond the newest $1 runs of that
-- kind, RFM snapshots finished before $2. Params: $1 runs kept, $2 RFM cutoff (timestamptz).
SELECT r.id::int AS id, k.kind
FROM analytics_runs r
CROSS JOIN (VALUES ('profiles'), ('clv')) AS k (kind)
WHERE r.state = 'done' AND k.kind = ANY (r.kinds) AND NOT k.kind = ANY (r.pruned)
  AND r.id NOT IN (
    SELECT n.id FROM analytics_runs n WHERE n.state = 'done' AND k.kind = ANY (n.kinds) ORDER BY n.id DESC LIMIT $1
  )
UNION ALL
SELECT id::int, 'rfm'
FROM analytics_runs
WHERE state = 'done' AND 'rfm' = ANY (kinds) AND NOT 'rfm' = ANY (pruned) AND finished_at < $2
ORDER BY id, kind
