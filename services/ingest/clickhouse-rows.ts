import type { NormalizedSwipe } from './swipe-rules'

/**
 * A swipe's rows in ClickHouse, as TabSeparated text, built once when the swipe is accepted and
 * kept in the journal, so the shipper only concatenates stored text and ClickHouse parses
 * its fastest text format. Column lists: keep in sync with sql/clickhouse/migrations.
 * The `swipes` row is prefixed with its journal seq by the shipper's query.
 */
export const SWIPE_COLUMNS = [
  'journal_seq', 'store_id', 'txn_id', 'card_number', 'terminal_id', 'occurred_at', 'utc_offset_minutes',
  'currency', 'kind', 'original_txn_id', 'total', 'discount_total', 'line_count', 'coupon_codes', 'received_at',
] as const

export const LINE_COLUMNS = [
  'store_id', 'txn_id', 'line_no', 'card_number', 'occurred_at', 'kind', 'sku', 'category', 'quantity',
  'unit_price', 'discount', 'amount',
] as const

/** `coupon_events` redemptions, built by the shipper from stored answers (batch-coupon-events.sql). */
export const COUPON_EVENT_COLUMNS = ['campaign_id', 'event', 'code', 'member_id', 'at', 'store_id', 'txn_id', 'discount'] as const

/** CLICKHOUSE.md trap 2: DateTime64 goes in as 'YYYY-MM-DD hh:mm:ss.sss' (UTC). */
function chDateTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`
}

const SPECIAL = /[\\\t\n\r]/
/** TabSeparated escaping of a string field. */
function tsv(text: string): string {
  if (!SPECIAL.test(text)) return text
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
}

/** The `swipes` row without its leading journal_seq, and the `swipe_lines` rows, '\n'-joined. */
export function clickhouseRows(storeId: string, swipe: NormalizedSwipe, receivedAt: Date): { swipe: string; lines: string } {
  const occurredAt = chDateTime(swipe.occurred_at)
  const txnId = tsv(swipe.txn_id)
  // Coupon codes are letters, digits and '-' only (swipe.schemas.ts), so need no quoting.
  const coupons = `[${swipe.coupon_codes.map((c) => `'${c}'`).join(',')}]`
  const swipeRow = [
    tsv(storeId), txnId, swipe.card_number, tsv(swipe.terminal_id), occurredAt, swipe.utc_offset_minutes,
    swipe.currency, swipe.kind, tsv(swipe.original_txn_id ?? ''), swipe.total, swipe.discount_total,
    swipe.lines.length, coupons, chDateTime(receivedAt.toISOString()),
  ].join('\t')
  const lines = swipe.lines
    .map((l) =>
      [
        tsv(storeId), txnId, l.line_no, swipe.card_number, occurredAt, swipe.kind, tsv(l.sku), tsv(l.category),
        l.quantity, l.unit_price, l.discount, l.amount,
      ].join('\t'),
    )
    .join('\n')
  return { swipe: swipeRow, lines }
}
