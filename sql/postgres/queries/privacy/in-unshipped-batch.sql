-- Whether a batch claimed but not yet marked shipped holds journal rows of this card. Such a
-- batch may have read its text before erasure rewrote it, and may still insert the old card
-- number into ClickHouse; erasure rewrites ClickHouse only once it is marked. $1 card number.
SELECT EXISTS (
  SELECT 1
  FROM ship_batches b
  JOIN ingest_journal j
    ON (j.txid, j.seq) > (b.after_txid, b.after_seq) AND (j.txid, j.seq) <= (b.last_txid, b.last_seq)
  WHERE b.shipped_at IS NULL AND j.card_number = $1
) AS pending
