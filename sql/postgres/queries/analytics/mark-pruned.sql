-- Notes that a run's rows of one kind were dropped. Params: $1 id, $2 kind.
UPDATE analytics_runs SET pruned = array_append(pruned, $2) WHERE id = $1 AND NOT $2 = ANY (pruned)
