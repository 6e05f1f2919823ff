/**
 * Importer for CDNOW's 2,357-customer sample (../shared/data/cdnow/CDNOW_sample.txt), the data
 * the BG/NBD and Gamma-Gamma models were published with: one swipe per file row, posted
 * through the public bulk endpoint like any other dataset (docs/import.md "CDNOW").
 *
 * The mapping functions are pure; only `loadCdnow` reads the file. Amounts are exact scaled
 * bigints (decimal.ts), never floats.
 */
import fs from 'node:fs'
import path from 'node:path'
import { formatScaled } from '../../platform/decimal'
import { withLuhnCheckDigit } from '../card-number'
import { SCALE } from '../swipe.schemas'
import type { CjStore, SwipeBody } from './completejourney'
import { parseCsvDecimal, unitPriceFor } from './completejourney'

export const CDNOW_FILE = 'CDNOW_sample.txt'
/** Prefix of every id the importer makes. */
export const CDNOW_PREFIX = 'cdnow-'
/** The one platform store every row goes to (CDNOW was a web shop: no stores in the data). */
export const CDNOW_STORE_CODE = 'cdnow'
export const CDNOW_STORE_NAME = 'CDNOW (sample of 2,357 customers)'
export const CDNOW_TERMINAL_ID = 'cdnow-migration'
export const CDNOW_CURRENCY = 'USD'
export const CDNOW_CATEGORY = 'Music CDs'
export const CDNOW_SKU = 'CD'
/**
 * The platform refuses swipes dated before 2000-01-01 (swipe-rules.ts: a till whose clock was
 * reset), and the data is from 1997-98. Every date is moved forward by 28 years: 10,227 days,
 * exactly 1,461 weeks, so weekdays stay, and neither 1997-98 nor 2025-26 has a 29 February, so
 * every day count between two dates (t_x, T, the holdout) is the papers'. The calibration end
 * 1997-09-30 is 2025-09-30.
 */
export const CDNOW_YEAR_SHIFT = 28

/** One row of the file, fields as written. */
export interface CdnowRow {
  /** 1-based line number in the file. */
  lineNo: number
  customerId: string
  sampleId: string
  /** YYYYMMDD */
  date: string
  cds: string
  dollars: string
}

export class CdnowDataError extends Error {}

/** A line of the file (`id sample_id YYYYMMDD cds dollars`, space-separated); null for a blank line. */
export function parseCdnowLine(line: string, lineNo: number): CdnowRow | null {
  const fields = line.trim().split(/\s+/)
  if (fields.length === 1 && fields[0] === '') return null
  if (fields.length !== 5) throw new CdnowDataError(`line ${lineNo}: expected 5 fields, found ${fields.length}`)
  const [customerId, sampleId, date, cds, dollars] = fields as [string, string, string, string, string]
  if (!/^\d{1,11}$/.test(customerId)) throw new CdnowDataError(`line ${lineNo}: customer id ${JSON.stringify(customerId)} is not 1 to 11 digits`)
  if (!/^\d{8}$/.test(date) || shiftedDate(date) === null) throw new CdnowDataError(`line ${lineNo}: date ${JSON.stringify(date)} is not a YYYYMMDD date`)
  if (!/^\d+$/.test(cds)) throw new CdnowDataError(`line ${lineNo}: number of CDs ${JSON.stringify(cds)} is not a whole number`)
  if (!/^\d+(\.\d{1,2})?$/.test(dollars)) throw new CdnowDataError(`line ${lineNo}: dollars ${JSON.stringify(dollars)} is not a non-negative amount in cents`)
  return { lineNo, customerId, sampleId, date, cds, dollars }
}

/** The customer's loyalty card: '8', the id zero-padded to 11 digits, a Luhn check digit (13 digits). */
export function customerCardNumber(customerId: string): string {
  if (!/^\d{1,11}$/.test(customerId)) throw new CdnowDataError(`customer id ${JSON.stringify(customerId)} is not 1 to 11 digits`)
  return withLuhnCheckDigit(`8${customerId.padStart(11, '0')}`)
}

/** YYYYMMDD moved CDNOW_YEAR_SHIFT years on, as YYYY-MM-DD; null when it is not a real date. */
export function shiftedDate(yyyymmdd: string): string | null {
  const [y, m, d] = [Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8))]
  const at = new Date(Date.UTC(y, m - 1, d))
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== m - 1 || at.getUTCDate() !== d) return null
  at.setUTCFullYear(y + CDNOW_YEAR_SHIFT)
  // 29 February of a year whose shifted year is not leap would roll over to 1 March.
  if (at.getUTCMonth() !== m - 1) return null
  return at.toISOString().slice(0, 10)
}

/** The swipe's occurred_at: the (shifted) date at noon UTC, so no offset moves it to another day. */
export function occurredAtOf(yyyymmdd: string): string {
  const day = shiftedDate(yyyymmdd)
  if (day === null) throw new CdnowDataError(`date ${JSON.stringify(yyyymmdd)} is not a YYYYMMDD date`)
  return `${day}T12:00:00Z`
}

/** A txn id per file row: the line number, so every row is its own sale even when a customer has two rows on a day. */
export const cdnowTxnId = (lineNo: number) => `${CDNOW_PREFIX}${lineNo}`

/** How a row's quantity and unit price were chosen. */
export type CdnowPriceRule =
  /** quantity = CDs; unit_price × quantity is exactly the dollars */
  | 'exact'
  /** quantity = CDs; unit_price rounded to 4 decimals, the product rounds to the dollars */
  | 'rounded-unit-price'
  /** 0 CDs in the file: sent as quantity 1 at unit_price = dollars (the platform requires quantity > 0) */
  | 'zero-cds'

export interface MappedCdnowRow {
  swipe: SwipeBody
  cents: bigint
  rule: CdnowPriceRule
}

/**
 * One file row → one sale with one line: category 'Music CDs', sku 'CD', quantity = the CDs
 * (1 when the file says 0), unit_price such that round_half_up(quantity × unit_price, 2) is
 * exactly the dollars, no discount; total = the dollars. A row of 0 dollars is a sale of 0.00
 * (unit_price 0, which the platform accepts): the purchase happened.
 */
export function mapCdnowRow(row: CdnowRow): MappedCdnowRow {
  const dollars = parseCsvDecimal(row.dollars, SCALE.money)
  if (!dollars || !dollars.exact || dollars.units < 0n) throw new CdnowDataError(`line ${row.lineNo}: dollars ${JSON.stringify(row.dollars)} is not a non-negative amount in cents`)
  const cds = BigInt(row.cds)
  const one = 10n ** BigInt(SCALE.quantity)
  let rule: CdnowPriceRule
  let quantity: bigint
  let price: bigint
  if (cds === 0n) {
    rule = 'zero-cds'
    quantity = one
    price = dollars.units * 10n ** BigInt(SCALE.unitPrice - SCALE.money)
  } else {
    quantity = cds * one
    const fitted = unitPriceFor(quantity, dollars.units)
    // Always found for CDNOW (at most 40 CDs: steps of 0.004 cents); a larger count would need a
    // documented fallback, so it stops the import instead.
    if (fitted === null) throw new CdnowDataError(`line ${row.lineNo}: no 4-decimal unit price makes ${row.cds} × price = ${row.dollars}`)
    price = fitted
    const exact = quantity * price === dollars.units * 10n ** BigInt(SCALE.quantity + SCALE.unitPrice - SCALE.money)
    rule = exact ? 'exact' : 'rounded-unit-price'
  }
  const total = formatScaled(dollars.units, SCALE.money)
  return {
    cents: dollars.units,
    rule,
    swipe: {
      txn_id: cdnowTxnId(row.lineNo),
      terminal_id: CDNOW_TERMINAL_ID,
      card_number: customerCardNumber(row.customerId),
      occurred_at: occurredAtOf(row.date),
      currency: CDNOW_CURRENCY,
      kind: 'sale',
      lines: [
        {
          sku: CDNOW_SKU,
          category: CDNOW_CATEGORY,
          quantity: formatScaled(quantity, SCALE.quantity),
          unit_price: formatScaled(price, SCALE.unitPrice),
          discount: '0.00',
        },
      ],
      total,
      coupon_codes: [],
    },
  }
}

export interface CdnowSummary {
  rows: number
  customers: number
  /** Rows with 0 dollars (sent as sales of 0.00). */
  zeroDollarRows: number
  /** Rows with 0 CDs (sent as quantity 1). */
  zeroCdRows: number
  exactRows: number
  roundedUnitPriceRows: number
  /** Σ dollars = Σ swipe totals. */
  dollarsTotal: string
  firstAt: string
  lastAt: string
}

export interface CdnowDataset {
  /** One store, its sales in time order (then file order). */
  stores: CjStore[]
  summary: CdnowSummary
}

/** Rows already read → the one store's sales and the summary. Pure. */
export function mapCdnow(rows: Iterable<CdnowRow>): CdnowDataset {
  const summary: CdnowSummary = {
    rows: 0,
    customers: 0,
    zeroDollarRows: 0,
    zeroCdRows: 0,
    exactRows: 0,
    roundedUnitPriceRows: 0,
    dollarsTotal: '0.00',
    firstAt: '',
    lastAt: '',
  }
  const customers = new Set<string>()
  const mapped: { swipe: SwipeBody; lineNo: number }[] = []
  let cents = 0n
  for (const row of rows) {
    const m = mapCdnowRow(row)
    summary.rows++
    customers.add(row.customerId)
    if (m.cents === 0n) summary.zeroDollarRows++
    if (m.rule === 'zero-cds') summary.zeroCdRows++
    else if (m.rule === 'exact') summary.exactRows++
    else summary.roundedUnitPriceRows++
    cents += m.cents
    const at = m.swipe.occurred_at
    if (summary.firstAt === '' || at < summary.firstAt) summary.firstAt = at
    if (at > summary.lastAt) summary.lastAt = at
    mapped.push({ swipe: m.swipe, lineNo: row.lineNo })
  }
  summary.customers = customers.size
  summary.dollarsTotal = formatScaled(cents, SCALE.money)
  mapped.sort((p, q) => (p.swipe.occurred_at < q.swipe.occurred_at ? -1 : p.swipe.occurred_at > q.swipe.occurred_at ? 1 : p.lineNo - q.lineNo))
  return { stores: [{ storeId: CDNOW_STORE_CODE, code: CDNOW_STORE_CODE, swipes: mapped.map((m) => m.swipe) }], summary }
}

/** Reads `CDNOW_sample.txt` from `dataDir` (7,000 rows; CRLF line endings) and maps it. */
export function loadCdnow(dataDir: string): CdnowDataset {
  const text = fs.readFileSync(path.join(dataDir, CDNOW_FILE), 'utf8')
  const rows: CdnowRow[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    const row = parseCdnowLine(line, i + 1)
    if (row) rows.push(row)
  })
  return mapCdnow(rows)
}

export function formatCdnowSummary(s: CdnowSummary): string {
  const n = (x: number) => x.toLocaleString('en-US')
  return [
    `  rows ${n(s.rows)} (one sale each), customers ${n(s.customers)}, one store '${CDNOW_STORE_CODE}'`,
    `  ${s.firstAt} .. ${s.lastAt} (file dates + ${CDNOW_YEAR_SHIFT} years)`,
    `  dollars total ${s.dollarsTotal} USD`,
    `  unit price exact ${n(s.exactRows)}, rounded to 4 decimals ${n(s.roundedUnitPriceRows)}; 0 CDs (sent as quantity 1) ${n(s.zeroCdRows)}; 0 dollars (sales of 0.00) ${n(s.zeroDollarRows)}`,
  ].join('\n')
}
