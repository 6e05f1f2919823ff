/**
 * Importer for 84.51° "The Complete Journey" (the real loyalty-card dataset under
 * shared/data/completejourney/), turning its basket lines into swipes as an integrator
 * migrating from another till system would. Each mapping decision is written down in
 * docs/import.md with the number of lines it touches.
 *
 * The mapping functions are pure; only `loadProducts`, `readTransactionRows` and
 * `loadCompleteJourney` read files. All amounts are exact scaled bigints (decimal.ts), never
 * floats.
 */
import path from 'node:path'
import { withLuhnCheckDigit } from '../card-number'
import { formatScaled, roundDivPow10 } from '../../platform/decimal'
import { SCALE } from '../swipe.schemas'
import { readCsv } from './csv'

/** Prefix of every id the importer makes, so imported data is recognisable. */
export const CJ_PREFIX = 'cj-'
/** The dataset gives no till; every swipe is attributed to this terminal. */
export const CJ_TERMINAL_ID = 'cj-migration'
/** The dataset is from a US retailer; amounts are in dollars. */
export const CJ_CURRENCY = 'USD'
/** Category of a line whose product_id is not in products.csv. */
export const UNKNOWN_CATEGORY = 'UNKNOWN'

/** A swipe as posted to the API (the wire format of swipe.schemas.ts, all decimals as text). */
export interface SwipeLineBody {
  sku: string
  category: string
  quantity: string
  unit_price: string
  discount: string
}
export interface SwipeBody {
  txn_id: string
  terminal_id: string
  card_number: string
  occurred_at: string
  currency: string
  kind: 'sale'
  lines: SwipeLineBody[]
  total: string
  coupon_codes: string[]
}

/** One line of transactions_sample.csv, fields as written. */
export interface CjTransactionRow {
  /** 1-based line number in the file (the header is line 1), for error messages. */
  lineNo: number
  household_id: string
  store_id: string
  basket_id: string
  product_id: string
  quantity: string
  sales_value: string
  retail_disc: string
  coupon_disc: string
  coupon_match_disc: string
  transaction_timestamp: string
}

/** The two product fields the category is made of. */
export interface CjProduct {
  department: string
  product_category: string
}
export type CjProducts = ReadonlyMap<string, CjProduct>

/** Raised on data the mapping has no documented rule for; names the file line. */
export class CjDataError extends Error {}

const TRANSACTION_COLUMNS = [
  'household_id',
  'store_id',
  'basket_id',
  'product_id',
  'quantity',
  'sales_value',
  'retail_disc',
  'coupon_disc',
  'coupon_match_disc',
  'transaction_timestamp',
] as const
const PRODUCT_COLUMNS = ['product_id', 'department', 'product_category'] as const

/**
 * products.csv as product_id → department and product_category (92k rows, fits in memory).
 * `scientificIds` counts product ids written in scientific notation ("9e+05"), canonicalised.
 */
export async function loadProducts(file: string): Promise<{ products: Map<string, CjProduct>; scientificIds: number }> {
  const products = new Map<string, CjProduct>()
  let scientificIds = 0
  for await (const [lineNo, row] of readCsv(file, PRODUCT_COLUMNS)) {
    const id = canonicalId(row.product_id)
    if (id === null) throw new CjDataError(`${path.basename(file)} line ${lineNo}: product_id ${JSON.stringify(row.product_id)} is not a whole number`)
    if (id !== row.product_id) scientificIds++
    if (products.has(id)) throw new CjDataError(`${path.basename(file)} line ${lineNo}: product_id ${id} appears twice`)
    products.set(id, { department: row.department, product_category: row.product_category })
  }
  return { products, scientificIds }
}

/** transactions_sample.csv, one row at a time. */
export async function* readTransactionRows(file: string): AsyncGenerator<CjTransactionRow> {
  for await (const [lineNo, row] of readCsv(file, TRANSACTION_COLUMNS)) yield { lineNo, ...row }
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** A CSV number as scaled units: `exact` is false when it had to be rounded to `scale`. */
export interface ScaledValue {
  units: bigint
  exact: boolean
}

/**
 * Reads a number as R wrote it ("3.86", "1.0", and once "4.440892e-16", a float artefact of a
 * subtraction that should have been 0) into units of 10^-scale, rounding half up. The digits
 * are taken as written (decimal text, no binary float in between).
 */
export function parseCsvDecimal(text: string, scale: number): ScaledValue | null {
  const match = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim())
  if (!match) return null
  const [, sign, whole, fraction = '', exponent = '0'] = match
  const digits = BigInt(whole! + fraction)
  const shift = Number(exponent) - fraction.length + scale // value = digits × 10^(shift − scale)
  let units: bigint
  let exact = true
  if (shift >= 0) units = digits * 10n ** BigInt(shift)
  else {
    units = roundDivPow10(digits, -shift)
    exact = units * 10n ** BigInt(-shift) === digits
  }
  return { units: sign === '-' ? -units : units, exact }
}

/**
 * An id column as plain digits. R writes some large round numbers in scientific notation
 * ("4.0128e+10" for basket 40128000000, "9e+05" for product 900000); those are expanded.
 * Null when the text is not a whole non-negative number.
 */
export function canonicalId(text: string): string | null {
  if (/^\d+$/.test(text)) return text
  const value = parseCsvDecimal(text, 0)
  return value && value.exact && value.units >= 0n && /[eE]/.test(text) ? value.units.toString() : null
}

/** The row with its id columns canonicalised; `changed` when one was in scientific notation. */
export function canonicalRow(row: CjTransactionRow): { row: CjTransactionRow; changed: boolean } {
  const ids = ['household_id', 'store_id', 'basket_id', 'product_id'] as const
  let changed = false
  const out = { ...row }
  for (const field of ids) {
    const id = canonicalId(row[field])
    if (id === null) throw new CjDataError(`line ${row.lineNo}: ${field} ${JSON.stringify(row[field])} is not a whole number`)
    if (id !== row[field]) {
      out[field] = id
      changed = true
    }
  }
  return { row: out, changed }
}

const ceilDiv = (a: bigint, b: bigint) => (a >= 0n ? (a + b - 1n) / b : -(-a / b)) // b > 0

/** 10^(quantity scale + unit-price scale − money scale): quantity × unit_price → cents. */
const PRODUCT_TO_MONEY = 10n ** BigInt(SCALE.quantity + SCALE.unitPrice - SCALE.money)

/**
 * A unit price, at most 4 decimals, such that round_half_up(quantity × unit_price, 2) is
 * exactly `grossCents`; the one nearest to gross ÷ quantity. Null when none exists (the
 * quantity is so large that consecutive unit prices step over the wanted cent, as with fuel
 * lines whose quantity is in the thousands).
 */
export function unitPriceFor(quantityMilli: bigint, grossCents: bigint): bigint | null {
  if (quantityMilli <= 0n || grossCents < 0n) return null
  const target = grossCents * PRODUCT_TO_MONEY
  const half = PRODUCT_TO_MONEY / 2n
  // quantity × price must land in [target − half, target + half) to round to grossCents.
  const lo = ceilDiv(target - half, quantityMilli) < 0n ? 0n : ceilDiv(target - half, quantityMilli)
  const hi = ceilDiv(target + half, quantityMilli) - 1n
  if (lo > hi) return null
  const nearest = (2n * target + quantityMilli) / (2n * quantityMilli)
  const price = nearest < lo ? lo : nearest > hi ? hi : nearest
  if (roundDivPow10(quantityMilli * price, SCALE.quantity + SCALE.unitPrice - SCALE.money) !== grossCents) return null
  return price
}

// ---------------------------------------------------------------------------------------------
// Mapping

/** A household's loyalty card: '9', the id zero-padded to 11 digits, a Luhn check digit (13 digits). */
export function householdCardNumber(householdId: string): string {
  if (!/^\d{1,11}$/.test(householdId)) throw new CjDataError(`household_id ${JSON.stringify(householdId)} is not 1 to 11 digits`)
  return withLuhnCheckDigit(`9${householdId.padStart(11, '0')}`)
}

export const storeCode = (storeId: string) => `${CJ_PREFIX}${storeId}`
export const txnIdOf = (basketId: string) => `${CJ_PREFIX}${basketId}`

/**
 * "DEPARTMENT / PRODUCT_CATEGORY"; the department alone when the product has no category
 * (540 products, 109 sample lines); UNKNOWN when products.csv does not know the product.
 */
export function categoryOf(products: CjProducts, productId: string): { category: string; known: boolean } {
  const product = products.get(productId)
  if (!product) return { category: UNKNOWN_CATEGORY, known: false }
  const parts = [product.department.trim(), product.product_category.trim()].filter((p) => p !== '')
  return parts.length === 0 ? { category: UNKNOWN_CATEGORY, known: false } : { category: parts.join(' / ').slice(0, 120), known: true }
}

/** How a line's quantity and unit price were chosen. */
export type PriceRule =
  /** the real quantity; unit_price × quantity is exactly the gross */
  | 'exact'
  /** the real quantity; unit_price rounded to 4 decimals, the product rounds to the gross */
  | 'rounded-unit-price'
  /** quantity 0 in the file: sent as quantity 1 at unit_price = gross */
  | 'zero-quantity'
  /** no 4-decimal unit price fits the real quantity: sent as quantity 1 at unit_price = gross */
  | 'inexact-fallback'

export interface MappedLine {
  line: SwipeLineBody
  /** The line's amount, sales_value to the cent, in cents. */
  amountCents: bigint
  /** retail_disc + coupon_disc + coupon_match_disc, in cents. */
  discountCents: bigint
  rule: PriceRule
  knownProduct: boolean
  /** The product has a department but no product_category. */
  departmentOnly: boolean
  /** A money field had more than 2 decimals and was rounded to the cent (the float artefact). */
  roundedMoney: boolean
}

function money(row: CjTransactionRow, field: 'sales_value' | 'retail_disc' | 'coupon_disc' | 'coupon_match_disc'): ScaledValue {
  const value = parseCsvDecimal(row[field], SCALE.money)
  if (!value) throw new CjDataError(`line ${row.lineNo}: ${field} ${JSON.stringify(row[field])} is not a number`)
  if (value.units < 0n) {
    // Negative values (returns, clawed-back discounts) occur in the full dataset but not in this
    // sample; they have no mapping yet, so they stop the import instead of being guessed at.
    throw new CjDataError(`line ${row.lineNo}: negative ${field} ${row[field]} (returns are not mapped)`)
  }
  return value
}

/**
 * One basket line → one swipe line whose amount, round_half_up(quantity × unit_price, 2) −
 * discount, is exactly sales_value to the cent:
 *   discount   = retail_disc + coupon_disc + coupon_match_disc
 *   gross      = sales_value + discount   (what the line cost before discounts)
 *   quantity   = the file's quantity, unit_price = gross ÷ quantity to 4 decimals, when one fits;
 *                otherwise quantity 1 and unit_price = gross (zero-quantity and fallback lines).
 */
export function mapLine(row: CjTransactionRow, products: CjProducts): MappedLine {
  const sales = money(row, 'sales_value')
  const discounts = [money(row, 'retail_disc'), money(row, 'coupon_disc'), money(row, 'coupon_match_disc')]
  const discount = discounts.reduce((sum, d) => sum + d.units, 0n)
  const gross = sales.units + discount
  const quantity = parseCsvDecimal(row.quantity, SCALE.quantity)
  if (!quantity || !quantity.exact || quantity.units < 0n) {
    throw new CjDataError(`line ${row.lineNo}: quantity ${JSON.stringify(row.quantity)} is not a non-negative number with at most 3 decimals`)
  }
  let rule: PriceRule
  let quantityMilli = quantity.units
  let price: bigint
  const fitted = quantity.units > 0n ? unitPriceFor(quantity.units, gross) : null
  if (quantity.units === 0n) {
    rule = 'zero-quantity'
  } else if (fitted === null) {
    rule = 'inexact-fallback'
  } else {
    rule = quantity.units * fitted === gross * PRODUCT_TO_MONEY ? 'exact' : 'rounded-unit-price'
  }
  if (fitted === null) {
    quantityMilli = 10n ** BigInt(SCALE.quantity) // 1
    price = gross * 10n ** BigInt(SCALE.unitPrice - SCALE.money)
  } else price = fitted

  const { category, known } = categoryOf(products, row.product_id)
  const product = products.get(row.product_id)
  return {
    line: {
      sku: row.product_id,
      category,
      quantity: formatScaled(quantityMilli, SCALE.quantity),
      unit_price: formatScaled(price, SCALE.unitPrice),
      discount: formatScaled(discount, SCALE.money),
    },
    amountCents: sales.units,
    discountCents: discount,
    rule,
    knownProduct: known,
    departmentOnly: !!product && product.department.trim() !== '' && product.product_category.trim() === '',
    roundedMoney: !sales.exact || discounts.some((d) => !d.exact),
  }
}

export interface MappedBasket {
  storeId: string
  swipe: SwipeBody
  lines: MappedLine[]
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/

/**
 * The lines of one basket (in file order) → one sale. All lines of a basket must agree on
 * household, store and timestamp (they do in the file; a disagreement stops the import).
 */
export function basketToSwipe(rows: readonly CjTransactionRow[], products: CjProducts): MappedBasket {
  const first = rows[0]
  if (!first) throw new CjDataError('a basket needs at least one line')
  for (const row of rows) {
    if (row.basket_id !== first.basket_id) throw new CjDataError(`line ${row.lineNo}: basket ${row.basket_id} mixed into basket ${first.basket_id}`)
    for (const field of ['household_id', 'store_id', 'transaction_timestamp'] as const) {
      if (row[field] !== first[field]) {
        throw new CjDataError(`line ${row.lineNo}: basket ${row.basket_id} has ${field} ${row[field]}, line ${first.lineNo} has ${first[field]}`)
      }
    }
  }
  if (!ISO_UTC.test(first.transaction_timestamp)) {
    throw new CjDataError(`line ${first.lineNo}: transaction_timestamp ${JSON.stringify(first.transaction_timestamp)} is not ISO 8601 UTC`)
  }
  for (const row of rows) {
    for (const field of ['store_id', 'basket_id', 'product_id'] as const) {
      if (!/^\d+$/.test(row[field])) throw new CjDataError(`line ${row.lineNo}: ${field} ${JSON.stringify(row[field])} is not plain digits (canonicalRow first)`)
    }
  }
  const lines = rows.map((row) => mapLine(row, products))
  const total = lines.reduce((sum, l) => sum + l.amountCents, 0n)
  return {
    storeId: first.store_id,
    lines,
    swipe: {
      txn_id: txnIdOf(first.basket_id),
      terminal_id: CJ_TERMINAL_ID,
      card_number: householdCardNumber(first.household_id),
      occurred_at: first.transaction_timestamp,
      currency: CJ_CURRENCY,
      kind: 'sale',
      lines: lines.map((l) => l.line),
      total: formatScaled(total, SCALE.money),
      coupon_codes: [],
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The whole dataset

export interface CjStore {
  /** The dataset's store_id. */
  storeId: string
  /** The platform store code (`cj-<store_id>`). */
  code: string
  /** Sales in time order (then txn_id), as the store's tills would have sent them. */
  swipes: SwipeBody[]
}

export interface CjSummary {
  lines: number
  baskets: number
  households: number
  stores: number
  /** Lines sent with the real quantity and an exact unit price. */
  exactLines: number
  /** Lines sent with the real quantity and a unit price rounded to 4 decimals. */
  roundedUnitPriceLines: number
  /** Lines with quantity 0 in the file, sent as quantity 1. */
  zeroQuantityLines: number
  /** Baskets made only of zero-quantity lines (kept, as zero-total sales). */
  zeroQuantityOnlyBaskets: number
  /** Lines with no fitting 4-decimal unit price, sent as quantity 1 at unit_price = gross. */
  inexactFallbackLines: number
  /** Lines whose product_id is not in products.csv (category UNKNOWN). */
  unknownCategoryLines: number
  /** Lines whose product has no product_category (category = department). */
  departmentOnlyLines: number
  /** Lines with a money value of more than 2 decimals, rounded to the cent. */
  roundedMoneyLines: number
  /** Transaction lines with an id written in scientific notation (canonicalised). */
  scientificIdLines: number
  /** products.csv rows whose product_id was in scientific notation (set by loadCompleteJourney). */
  scientificProductIds: number
  /** Σ sales_value to the cent = Σ swipe totals (exact decimal text). */
  salesTotal: string
  /** Σ line discounts (retail + coupon + coupon match). */
  discountTotal: string
  firstAt: string
  lastAt: string
}

export interface CjDataset {
  stores: CjStore[]
  summary: CjSummary
}

export const DATA_FILES = { transactions: 'transactions_sample.csv', products: 'products.csv' } as const

/**
 * Maps rows already read (in file order) into per-store sales and the summary. Pure: the
 * caller supplies the rows and products.
 */
export function mapDataset(rows: Iterable<CjTransactionRow>, products: CjProducts): CjDataset {
  const baskets = new Map<string, CjTransactionRow[]>()
  let lineCount = 0
  let scientificIdLines = 0
  for (const raw of rows) {
    lineCount++
    const { row, changed } = canonicalRow(raw)
    if (changed) scientificIdLines++
    const basket = baskets.get(row.basket_id)
    if (basket) basket.push(row)
    else baskets.set(row.basket_id, [row])
  }
  const summary: CjSummary = {
    lines: lineCount,
    baskets: baskets.size,
    households: 0,
    stores: 0,
    exactLines: 0,
    roundedUnitPriceLines: 0,
    zeroQuantityLines: 0,
    zeroQuantityOnlyBaskets: 0,
    inexactFallbackLines: 0,
    unknownCategoryLines: 0,
    departmentOnlyLines: 0,
    roundedMoneyLines: 0,
    scientificIdLines,
    scientificProductIds: 0,
    salesTotal: '0.00',
    discountTotal: '0.00',
    firstAt: '',
    lastAt: '',
  }
  const households = new Set<string>()
  const byStore = new Map<string, SwipeBody[]>()
  let sales = 0n
  let discounts = 0n
  for (const basketRows of baskets.values()) {
    const mapped = basketToSwipe(basketRows, products)
    households.add(basketRows[0]!.household_id)
    const list = byStore.get(mapped.storeId)
    if (list) list.push(mapped.swipe)
    else byStore.set(mapped.storeId, [mapped.swipe])
    for (const line of mapped.lines) {
      if (line.rule === 'exact') summary.exactLines++
      else if (line.rule === 'rounded-unit-price') summary.roundedUnitPriceLines++
      else if (line.rule === 'zero-quantity') summary.zeroQuantityLines++
      else summary.inexactFallbackLines++
      if (!line.knownProduct) summary.unknownCategoryLines++
      if (line.departmentOnly) summary.departmentOnlyLines++
      if (line.roundedMoney) summary.roundedMoneyLines++
      sales += line.amountCents
      discounts += line.discountCents
    }
    if (mapped.lines.every((l) => l.rule === 'zero-quantity')) summary.zeroQuantityOnlyBaskets++
    const at = mapped.swipe.occurred_at
    if (summary.firstAt === '' || at < summary.firstAt) summary.firstAt = at
    if (at > summary.lastAt) summary.lastAt = at
  }
  summary.households = households.size
  summary.stores = byStore.size
  summary.salesTotal = formatScaled(sales, SCALE.money)
  summary.discountTotal = formatScaled(discounts, SCALE.money)
  const byTime = (a: SwipeBody, b: SwipeBody) =>
    a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : a.txn_id < b.txn_id ? -1 : a.txn_id > b.txn_id ? 1 : 0
  const stores = [...byStore.entries()]
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([storeId, swipes]) => ({ storeId, code: storeCode(storeId), swipes: swipes.sort(byTime) }))
  return { stores, summary }
}

/**
 * Reads the dataset from `dataDir`: products into a Map, transactions streamed line by line.
 * A basket's lines are scattered over the (randomly sampled) file, so the rows are grouped
 * in memory before mapping (75,000 rows: a few tens of MB).
 */
export async function loadCompleteJourney(dataDir: string): Promise<CjDataset> {
  const { products, scientificIds } = await loadProducts(path.join(dataDir, DATA_FILES.products))
  const rows: CjTransactionRow[] = []
  for await (const row of readTransactionRows(path.join(dataDir, DATA_FILES.transactions))) rows.push(row)
  const dataset = mapDataset(rows, products)
  dataset.summary.scientificProductIds = scientificIds
  return dataset
}
