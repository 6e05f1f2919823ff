-- Opens lots. $1 JSON array of { id, member_id, ledger_id, points, remaining, earned_at, expires_at }.
INSERT INTO point_lots (id, member_id, ledger_id, points, remaining, earned_at, expires_at)
SELECT t.id, t.member_id, t.ledger_id, t.points, t.remaining, t.earned_at, t.expires_at
FROM json_to_recordset($1::json) AS t (
  id bigint, member_id text, ledger_id bigint, points bigint, remaining bigint, earned_at timestamptz, expires_at timestamptz)
