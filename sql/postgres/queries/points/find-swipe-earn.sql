-- A sale's earn entry (its per-line points for exact reversal) and the lots it opened.
-- $1 store id, $2 the sale's txn id.
SELECT e.id::text, e.member_id, e.detail, coalesce(array_agg(l.id::text) FILTER (WHERE l.id IS NOT NULL), '{}') AS lot_ids
FROM points_ledger e
LEFT JOIN point_lots l ON l.ledger_id = e.id
WHERE e.store_id = $1 AND e.txn_id = $2 AND e.source_type = 'swipe' AND e.kind = 'earn'
GROUP BY e.id
