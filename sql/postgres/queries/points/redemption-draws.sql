-- The lots a ledger entry drew from, so a cancel can put the points back into them.
-- $1 ledger id.
SELECT lot_id::text, points
FROM lot_draws
WHERE ledger_id = $1::bigint
ORDER BY lot_draws.lot_id
