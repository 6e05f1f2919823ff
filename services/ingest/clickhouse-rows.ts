import type { NormalizedSwipe } from './swipe-rules'

/** A journal row as the shipper reads it. */
export interface JournalRow {
  seq: string
  store_id: string
  swipe: NormalizedSwipe
  received_at: Date
}

/** CLICKHOUSE.md trap 2: DateTime64 goes in as 'YYYY-MM-DD hh:mm:ss.sss' (UTC). */
export function chDateTime(date: Date | string): string {
  const iso = typeof date === 'string' ? date : date.toISOString()
  return iso.slice(0, 23).replace('T', ' ')
}

/**
 * The rows one journal entry becomes in ClickHouse: one in `swipes`, one per line in
 * `swipe_lines` (keep in sync with sql/clickhouse/migrations/0001_swipes.sql).
 */
export function toClickHouseRows(row: JournalRow): { swipe: object; lines: object[] } {
  const s = row.swipe
  const occurredAt = chDateTime(s.occurred_at)
  const swipe = {
    store_id: row.store_id,
    txn_id: s.txn_id,
    card_number: s.card_number,
    terminal_id: s.terminal_id,
    occurred_at: occurredAt,
    utc_offset_minutes: s.utc_offset_minutes,
    currency: s.currency,
    kind: s.kind,
    original_txn_id: s.original_txn_id ?? '',
    total: s.total,
    discount_total: s.discount_total,
    line_count: s.lines.length,
    coupon_codes: s.coupon_codes,
    journal_seq: row.seq,
    received_at: chDateTime(row.received_at),
  }
  const lines = s.lines.map((line) => ({
    store_id: row.store_id,
    txn_id: s.txn_id,
    line_no: line.line_no,
    card_number: s.card_number,
    occurred_at: occurredAt,
    kind: s.kind,
    sku: line.sku,
    category: line.category,
    quantity: line.quantity,
    unit_price: line.unit_price,
    discount: line.discount,
    amount: line.amount,
    journal_seq: row.seq,
  }))
  return { swipe, lines }
}
