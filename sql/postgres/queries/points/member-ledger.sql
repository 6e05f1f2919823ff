-- One page of a member's ledger, newest first, keyset on id.
-- $1 member id, $2 only entries with id below this (null: from the newest), $3 page size.
SELECT id::text, kind, points, balance_after, reason, source_type, source_id, store_id, txn_id,
       occurred_at, booked_at, detail
FROM points_ledger
WHERE member_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
ORDER BY points_ledger.id DESC
LIMIT $3
