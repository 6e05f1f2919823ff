import crypto from 'node:crypto'
import { withLuhnCheckDigit } from '../../services/ingest/card-number'

/** A random, well-formed loyalty card number (13 digits, Luhn check digit). */
export function makeCardNumber(): string {
  const body = `9${String(crypto.randomInt(0, 1e11)).padStart(11, '0')}`
  return withLuhnCheckDigit(body)
}

export function makeTxnId(): string {
  return `T-${crypto.randomBytes(8).toString('hex')}`
}

export interface LineInput {
  sku: string
  category: string
  quantity: string
  unit_price: string
  discount?: string
}

/** A valid sale whose total agrees with its lines; override any field. */
export function makeSwipe(overrides: Record<string, unknown> = {}) {
  const lines: LineInput[] = (overrides.lines as LineInput[]) ?? [
    { sku: 'MILK-1L', category: 'Dairy', quantity: '2', unit_price: '0.99' },
    { sku: 'BREAD-WH', category: 'Bakery', quantity: '1', unit_price: '2.49', discount: '0.50' },
  ]
  return {
    txn_id: makeTxnId(),
    terminal_id: 'till-1',
    card_number: makeCardNumber(),
    occurred_at: '2026-11-20T10:15:00+01:00',
    currency: 'EUR',
    kind: 'sale',
    lines,
    total: totalOf(lines),
    coupon_codes: [],
    ...overrides,
  }
}

/** The total a till would print: Σ round_half_up(quantity × unit_price, 2) − discount. */
export function totalOf(lines: LineInput[]): string {
  let cents = 0n
  for (const l of lines) {
    const milli = BigInt(Math.round(Number(l.quantity) * 1000))
    const pricePoints = BigInt(Math.round(Number(l.unit_price) * 10_000))
    const gross = (milli * pricePoints + 50_000n) / 100_000n
    cents += gross - BigInt(Math.round(Number(l.discount ?? '0') * 100))
  }
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`
}
