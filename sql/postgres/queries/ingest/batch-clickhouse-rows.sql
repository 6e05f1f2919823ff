-- One batch as ClickHouse TabSeparated text: its `swipes` rows (journal seq first) and its
-- `swipe_lines` rows, from the text stored with each journal row (clickhouse-rows.ts). In seq
-- order, so a batch re-sent after a crash is the same text and its dedup token matches.
-- $1 batch id, $2 first seq, $3 last seq.
SELECT count(*)::int AS row_count,
       string_agg(seq::text || E'\t' || ch_swipe, E'\n' ORDER BY seq) AS swipes,
       string_agg(ch_lines, E'\n' ORDER BY seq) AS lines
FROM ingest_journal
WHERE seq BETWEEN $2 AND $3 AND batch_id = $1
