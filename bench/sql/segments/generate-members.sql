-- bench:segments: $1 members, each holding one card (member i: id 'mem_' || md5('bench' || i),
-- card '6' followed by i on 12 digits, the card number generate-baskets.sql gives member i).
-- About 1 % are merged into the member before them (their card moved with them, as a merge
-- does) and 0.5 % erased (their cards map to nobody), so the card map is not the identity.
-- Params: $1 members (bigint).
WITH m AS (
  SELECT i,
         'mem_' || md5('bench' || i) AS id,
         CASE WHEN i % 100 = 37 THEN 'merged' WHEN i % 200 = 11 THEN 'erased' WHEN i % 3 = 0 THEN 'active' ELSE 'anonymous' END AS status
  FROM generate_series(0, $1::bigint - 1) AS i
), inserted AS (
  INSERT INTO members (id, status, merged_into, created_at, registered_at, erased_at)
  SELECT id,
         status,
         CASE WHEN status = 'merged' THEN 'mem_' || md5('bench' || (i - 1)) END,
         now() - interval '800 days',
         CASE WHEN status = 'active' THEN now() - interval '700 days' END,
         CASE WHEN status = 'erased' THEN now() - interval '10 days' END
  FROM m
)
INSERT INTO cards (card_number, status, first_seen_at, member_id)
SELECT '6' || lpad(i::text, 12, '0'),
       'active',
       now() - interval '800 days',
       CASE WHEN status = 'merged' THEN 'mem_' || md5('bench' || (i - 1)) ELSE id END
FROM m
