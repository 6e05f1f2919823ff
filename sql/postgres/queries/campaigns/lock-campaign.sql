-- One campaign by id, locked for a change in this transaction (PATCH of a draft). Params: $1 id.
SELECT * FROM campaigns WHERE id = $1::bigint FOR UPDATE
