import type { Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import type { CouponOutcome } from '../campaigns/redeem-coupons'
import type { SwipePoints } from '../points/swipe-points'
import type { NormalizedSwipe } from './swipe-rules'

/** A swipe ready for the journal: normalized, hashed, with the answer the till will get. */
export interface JournalEntry {
  storeId: string
  /** The JSON path of the swipe in its post (`$`, `$[3]`), for the problems of a return. */
  at: string
  swipe: NormalizedSwipe
  /** The normalized swipe's JSON, as hashed and as stored. */
  json: string
  hash: string
  answer: SwipeAnswer
  /** Its rows in ClickHouse, TabSeparated (clickhouse-rows.ts). */
  clickhouse: { swipe: string; lines: string }
}

/**
 * What a till is told about an accepted swipe (and told again, word for word, on a retry):
 * the swipe as booked, its points (SwipePoints) and, for a sale with coupon codes, each code's
 * outcome (redeem-coupons.ts), added when the swipe is committed.
 */
export type SwipeAnswer = SwipeBasics & Partial<SwipePoints> & { coupons?: CouponOutcome[] }

interface SwipeBasics {
  txn_id: string
  store_id: string
  kind: 'sale' | 'return'
  card: string
  total: string
  line_count: number
  accepted_at: string
}

export interface StoredEntry {
  store_id: string
  txn_id: string
  body_hash: string
  answer: SwipeAnswer
}

/**
 * The rows for insert-journal.sql as one JSON array. Assembled from parts so that each swipe's
 * JSON, already made when it was hashed, is not serialized a second time.
 */
function journalRowsJson(entries: JournalEntry[]): string {
  const rows = entries.map(
    (e) =>
      `{"store_id":${JSON.stringify(e.storeId)},"txn_id":${JSON.stringify(e.swipe.txn_id)},` +
      `"kind":"${e.swipe.kind}","original_txn_id":${JSON.stringify(e.swipe.original_txn_id)},` +
      `"card_number":"${e.swipe.card_number}","body_hash":"${e.hash}","swipe":${e.json},` +
      `"answer":${JSON.stringify(e.answer)},"ch_swipe":${JSON.stringify(e.clickhouse.swipe)},` +
      `"ch_lines":${JSON.stringify(e.clickhouse.lines)}}`,
  )
  return `[${rows.join(',')}]`
}

/** The key a journal row is unique by. */
export const journalKey = (storeId: string, txnId: string) => `${storeId}\u0000${txnId}`

/** The ingest journal's queries, on a pool (each statement atomic) or inside a transaction. */
export function journalQueries(tx: Tx) {
  return {
    /**
     * Appends the entries (their cards already exist: swipe-points.ts makes unknown ones
     * anonymous members' cards); returns the keys (journalKey) of those that were new.
     */
    async append(entries: JournalEntry[]): Promise<Set<string>> {
      if (entries.length === 0) return new Set()
      const rows = await tx.query<{ store_id: string; txn_id: string }>(sql('postgres/queries/ingest/insert-journal'), [journalRowsJson(entries)])
      return new Set(rows.map((r) => journalKey(r.store_id, r.txn_id)))
    },

    /** The stored hash and first answer of entries already in the journal, by journalKey. */
    async find(entries: JournalEntry[]): Promise<Map<string, StoredEntry>> {
      if (entries.length === 0) return new Map()
      const rows = await tx.query<StoredEntry>(sql('postgres/queries/ingest/find-journal-entries'), [
        entries.map((e) => e.storeId),
        entries.map((e) => e.swipe.txn_id),
      ])
      return new Map(rows.map((r) => [journalKey(r.store_id, r.txn_id), r]))
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
