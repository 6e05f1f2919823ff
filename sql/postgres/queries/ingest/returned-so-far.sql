-- Quantity and amount already returned against one sale, per SKU.
-- $1 store id, $2 the sale's txn id.
SELECT line ->> 'sku' AS sku,
       sum((line ->> 'quantity')::numeric)::text AS quantity,
       sum((line ->> 'amount')::numeric)::text AS amount
FROM ingest_journal j, json_array_elements(j.swipe -> 'lines') AS line
WHERE j.store_id = $1 AND j.original_txn_id = $2 AND j.kind = 'return'
GROUP BY 1
