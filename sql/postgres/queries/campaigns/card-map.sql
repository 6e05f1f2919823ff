-- Which member holds each card now, as COPY TO STDOUT in campaign_card_map's column order
-- (services/campaigns/assign.ts): snapshot id, card, member. Erased members' cards are
-- pseudonyms and left out. Settings (set-snapshot.sql): campaigns.snapshot_id.
COPY (
  SELECT current_setting('campaigns.snapshot_id')::bigint, c.card_number, c.member_id
  FROM cards c
  JOIN members m ON m.id = c.member_id
  WHERE m.status <> 'erased'
) TO STDOUT
