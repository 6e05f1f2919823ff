-- Appends ledger entries. $1 JSON array of
--   { id, member_id, kind, points, balance_after, reason, source_type, source_id, store_id, txn_id, occurred_at, detail }
INSERT INTO points_ledger (id, member_id, kind, points, balance_after, reason, source_type, source_id, store_id, txn_id, occurred_at, detail)
SELECT t.id, t.member_id, t.kind, t.points, t.balance_after, t.reason, t.source_type, t.source_id, t.store_id, t.txn_id, t.occurred_at, t.detail
FROM json_to_recordset($1::json) AS t (
  id bigint, member_id text, kind text, points bigint, balance_after bigint, reason text, source_type text,
  source_id text, store_id text, txn_id text, occurred_at timestamptz, detail json)
ORDER BY t.id
