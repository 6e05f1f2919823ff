-- bench:clv: $1 members, each anonymous and holding one card: member i is 'mem_' || md5('clv' || i),
-- its card '7' followed by i on 12 digits (the card generate-swipes.sql gives member i).
-- Params: $1 members (bigint).
WITH m AS (
  SELECT i, 'mem_' || md5('clv' || i) AS id
  FROM generate_series(0, $1::bigint - 1) AS i
), inserted AS (
  INSERT INTO members (id, status, created_at)
  SELECT id, 'anonymous', now() - interval '800 days' FROM m
)
INSERT INTO cards (card_number, status, first_seen_at, member_id)
SELECT '7' || lpad(i::text, 12, '0'), 'active', now() - interval '800 days', id
FROM m
