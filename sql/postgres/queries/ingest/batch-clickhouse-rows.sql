-- One batch as ClickHouse TabSeparated text: its `swipes` rows (journal seq first) and its
-- `swipe_lines` rows, from the text stored with each journal row (clickhouse-rows.ts). In
-- (txid, seq) order, so a batch re-sent after a crash is the same text and its dedup token matches.
-- $1 after_txid, $2 after_seq, $3 last_txid, $4 last_seq.
SELECT string_agg(seq::text || E'\t' || ch_swipe, E'\n' ORDER BY txid, seq) AS swipes,
       string_agg(ch_lines, E'\n' ORDER BY txid, seq) AS lines
FROM ingest_journal
WHERE (txid, seq) > ($1::xid8, $2::bigint) AND (txid, seq) <= ($3::xid8, $4::bigint)
