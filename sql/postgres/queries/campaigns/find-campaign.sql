-- One campaign by id, or no row. Params: $1 id (bigint).
SELECT * FROM campaigns WHERE id = $1::bigint
