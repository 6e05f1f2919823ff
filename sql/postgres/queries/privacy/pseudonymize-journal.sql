-- Rewrites a card number to the pseudonym in every journal row of the card: the column, the
-- normalized swipe (JSON.stringify output: "card_number":"…" exactly), its ClickHouse rows
-- (TSV: card_number is the 3rd field of ch_swipe and the 4th of each ch_lines line; keep in
-- sync with services/ingest/clickhouse-rows.ts) and the masked card in the till's answer.
-- body_hash is recomputed over the new text (as swipe-rules.ts hashes it), so the old one
-- cannot be used to test guesses of the card number; a till retrying the swipe now gets 409.
-- The regular expressions take the old number escaped for them ($3).
-- $1 old card number, $2 pseudonym, $3 $1 escaped as a regular expression.
UPDATE ingest_journal j
SET card_number = $2,
    swipe = n.swipe::json,
    body_hash = encode(sha256(convert_to(n.swipe, 'UTF8')), 'hex'),
    ch_swipe = regexp_replace(j.ch_swipe, '^([^\t]*\t[^\t]*\t)' || $3 || '\t', '\1' || $2 || E'\t'),
    ch_lines = regexp_replace(j.ch_lines, '^([^\t\n]*\t[^\t\n]*\t[^\t\n]*\t)' || $3 || '\t', '\1' || $2 || E'\t', 'gn'),
    answer = replace(j.answer::text,
                     '"card":"' || repeat('*', greatest(length($1) - 4, 0)) || right($1, 4) || '"',
                     '"card":"' || repeat('*', greatest(length($2) - 4, 0)) || right($2, 4) || '"')::json
FROM (
  SELECT seq, replace(swipe::text, '"card_number":"' || $1 || '"', '"card_number":"' || $2 || '"') AS swipe
  FROM ingest_journal
  WHERE card_number = $1
) n
WHERE j.seq = n.seq
