-- One page of ledger entries of these members (a member and those merged into them), by id
-- descending: the entries with id below $2 (keyset cursor; null for the first page).
-- $1 text[] member ids, $2 bigint or null, $3 page size (the caller asks one more to know
-- whether another page follows).
SELECT id::text, member_id, kind, points::text, balance_after::text, reason, source_type,
       store_id, txn_id, occurred_at, booked_at, detail
FROM points_ledger
WHERE member_id = ANY ($1::text[]) AND ($2::bigint IS NULL OR id < $2::bigint)
ORDER BY points_ledger.id DESC
LIMIT $3
