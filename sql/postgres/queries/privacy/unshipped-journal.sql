-- Journal rows of these cards not yet known to be in ClickHouse: after the shipper's cursor
-- (the newest batch's end, as in ingest/claim-batch.sql), or inside a batch claimed but not
-- marked shipped (which may already be in ClickHouse too: the caller drops rows it also found
-- there). $1 text[] card numbers.
WITH cursor AS (
  SELECT coalesce(max(last_txid), '0'::xid8) AS txid, coalesce(max(last_seq), 0) AS seq
  FROM (SELECT last_txid, last_seq FROM ship_batches ORDER BY id DESC LIMIT 1) newest
)
SELECT j.store_id, j.txn_id, j.received_at, j.swipe
FROM ingest_journal j, cursor c
WHERE j.card_number = ANY ($1::text[])
  AND ((j.txid, j.seq) > (c.txid, c.seq)
       OR EXISTS (
         SELECT 1 FROM ship_batches b
         WHERE b.shipped_at IS NULL
           AND (j.txid, j.seq) > (b.after_txid, b.after_seq)
           AND (j.txid, j.seq) <= (b.last_txid, b.last_seq)))
ORDER BY j.seq
