import crypto from 'node:crypto'
import { clickhouseRows, LINE_COLUMNS, SWIPE_COLUMNS } from '../../services/ingest/clickhouse-rows'
import { checkSwipe } from '../../services/ingest/swipe-rules'
import { insertTsv, type ClickHouse } from '../../services/platform/clickhouse'
import type { Postgres } from '../../services/platform/postgres'
import { makeTxnId, totalOf, type LineInput } from './factories'

/** A swipe as analytics tests write it: only what the figures read, the rest defaulted. */
export interface AnalyticsSwipe {
  card: string
  store?: string
  txn?: string
  /** ISO 8601 with an offset: the offset is the till's local time. */
  at: string
  kind?: 'sale' | 'return'
  /** The sale a return is against (its txn). */
  original?: string
  lines: LineInput[]
  coupons?: string[]
}

let seq = 0

/**
 * Writes swipes straight into ClickHouse's swipes and swipe_lines, as the shipper would: each
 * is checked and normalized by the ingest rules (checkSwipe) and turned into rows by the
 * shipper's own row builder, so the analytics SQL reads exactly what production writes.
 * Returns the swipes with their txn ids filled in.
 */
export async function insertSwipes(
  ch: ClickHouse,
  swipes: AnalyticsSwipe[],
  /** The batch's dedup token, as the shipper's batch id: the same token again is a re-sent batch. */
  token: string = crypto.randomUUID(),
): Promise<Required<Omit<AnalyticsSwipe, 'original'>>[]> {
  const swipeRows: string[] = []
  const lineRows: string[] = []
  const written = swipes.map((s) => {
    const txn = s.txn ?? makeTxnId()
    const body = {
      txn_id: txn,
      terminal_id: 'till-1',
      card_number: s.card,
      occurred_at: s.at,
      currency: 'EUR',
      kind: s.kind ?? 'sale',
      ...(s.original ? { original_txn_id: s.original } : {}),
      lines: s.lines,
      total: totalOf(s.lines),
      coupon_codes: s.coupons ?? [],
    }
    const check = checkSwipe(body, { now: new Date('2099-01-01T00:00:00Z'), skewSeconds: 0 })
    if (!check.ok) throw new Error(`test swipe ${txn} is invalid: ${JSON.stringify(check.problems)}`)
    const rows = clickhouseRows(s.store ?? 'store-1', check.swipe, new Date())
    swipeRows.push(`${++seq}\t${rows.swipe}`)
    lineRows.push(rows.lines)
    return { store: s.store ?? 'store-1', txn, kind: s.kind ?? 'sale', coupons: s.coupons ?? [], ...s }
  })
  // A token per call unless given: ClickHouse would otherwise drop a block identical to an earlier one.
  await insertTsv(ch.client, 'swipe_lines', LINE_COLUMNS, lineRows.filter(Boolean).join('\n'), { insert_deduplication_token: `${token}-l` })
  await insertTsv(ch.client, 'swipes', SWIPE_COLUMNS, swipeRows.join('\n'), { insert_deduplication_token: `${token}-s` })
  return written as never
}

/** A member (anonymous unless a status is given) holding the given cards, straight into Postgres. */
export async function mapCards(pg: Postgres, cards: string[], status: 'anonymous' | 'active' | 'erased' = 'anonymous'): Promise<string> {
  const memberId = `mem_${crypto.randomBytes(16).toString('hex')}`
  await pg.query('INSERT INTO members (id, status) VALUES ($1, $2)', [memberId, status])
  for (const card of cards) await pg.query('INSERT INTO cards (card_number, member_id) VALUES ($1, $2)', [card, memberId])
  return memberId
}
