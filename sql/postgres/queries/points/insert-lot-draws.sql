-- Records which lots each negative entry drew from. $1 JSON array of { ledger_id, lot_id, points }.
INSERT INTO lot_draws (ledger_id, lot_id, points)
SELECT t.ledger_id, t.lot_id, t.points
FROM json_to_recordset($1::json) AS t (ledger_id bigint, lot_id bigint, points bigint)
