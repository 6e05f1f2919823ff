import type { Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import type { NormalizedSwipe } from './swipe-rules'

/** A swipe ready for the journal: normalized, hashed, with the answer the till will get. */
export interface JournalEntry {
  swipe: NormalizedSwipe
  hash: string
  answer: SwipeAnswer
  /** Its rows in ClickHouse, TabSeparated (clickhouse-rows.ts). */
  clickhouse: { swipe: string; lines: string }
}

/** What a till is told about an accepted swipe (and told again, word for word, on a retry). */
export interface SwipeAnswer {
  txn_id: string
  store_id: string
  kind: 'sale' | 'return'
  card: string
  total: string
  line_count: number
  accepted_at: string
}

export interface StoredEntry {
  txn_id: string
  body_hash: string
  answer: SwipeAnswer
}

/** The ingest journal's queries, run inside the caller's transaction. */
export function journalQueries(tx: Tx) {
  return {
    async recordCards(storeId: string, cardNumbers: string[]): Promise<void> {
      const distinct = [...new Set(cardNumbers)].sort()
      await tx.query(sql('postgres/queries/ingest/insert-cards'), [storeId, distinct])
    },

    /** Appends the entries; returns the txn ids that were new (the rest were already there). */
    async append(storeId: string, entries: JournalEntry[]): Promise<Set<string>> {
      if (entries.length === 0) return new Set()
      const rows = await tx.query<{ txn_id: string }>(sql('postgres/queries/ingest/insert-journal'), [
        storeId,
        JSON.stringify(
          entries.map((e) => ({
            txn_id: e.swipe.txn_id,
            kind: e.swipe.kind,
            original_txn_id: e.swipe.original_txn_id,
            card_number: e.swipe.card_number,
            body_hash: e.hash,
            swipe: e.swipe,
            answer: e.answer,
            ch_swipe: e.clickhouse.swipe,
            ch_lines: e.clickhouse.lines,
          })),
        ),
      ])
      return new Set(rows.map((r) => r.txn_id))
    },

    async find(storeId: string, txnIds: string[]): Promise<Map<string, StoredEntry>> {
      if (txnIds.length === 0) return new Map()
      const rows = await tx.query<StoredEntry>(sql('postgres/queries/ingest/find-journal-entries'), [storeId, txnIds])
      return new Map(rows.map((r) => [r.txn_id, r]))
    },

    async lockOriginalSale(storeId: string, txnId: string) {
      const [row] = await tx.query<{ kind: string; card_number: string; swipe: NormalizedSwipe }>(
        sql('postgres/queries/ingest/lock-original-sale'),
        [storeId, txnId],
      )
      return row
    },

    async returnedSoFar(storeId: string, originalTxnId: string) {
      const rows = await tx.query<{ sku: string; quantity: string; amount: string }>(
        sql('postgres/queries/ingest/returned-so-far'),
        [storeId, originalTxnId],
      )
      return new Map(rows.map((r) => [r.sku, r]))
    },
  }
}
export type JournalQueries = ReturnType<typeof journalQueries>
