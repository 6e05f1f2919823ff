-- The card map a run copies to ClickHouse (services/analytics/card-map.ts), as COPY TO STDOUT in
-- card_members' column order: run id, card number, the member who holds it now. COPY takes no
-- bind parameters, so the run id is read from the transaction-local setting analytics.run_id
-- (set with set_config, bound). An erased member's cards are left out: they are pseudonyms,
-- and their history belongs to nobody.
COPY (
  SELECT current_setting('analytics.run_id')::bigint, c.card_number, c.member_id
  FROM cards c
  JOIN members m ON m.id = c.member_id
  WHERE m.status <> 'erased'
) TO STDOUT
