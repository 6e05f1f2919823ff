-- Sets what is left in lots that were drawn from or restored. $1 JSON array of { id, remaining }.
UPDATE point_lots l SET remaining = t.remaining
FROM json_to_recordset($1::json) AS t (id bigint, remaining bigint)
WHERE l.id = t.id
