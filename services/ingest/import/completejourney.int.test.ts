import fs from 'node:fs'
import path from 'node:path'
import { chRows } from '../../../test/helpers/databases'
import { startTestPlatform, type TestPlatform } from '../../../test/helpers/platform'
import { loadCompleteJourney, type CjDataset } from './completejourney'
import { DEFAULT_DATA_DIR, importDataset } from './import.cli'

/**
 * The real Complete Journey sample, imported through the public bulk endpoint exactly as the
 * CLI does it, then reconciled in ClickHouse against figures this test works out from the CSV
 * on its own (plain splitting and its own exact decimal sum, not the importer's code).
 */

let platform: TestPlatform
let dataset: CjDataset

beforeAll(async () => {
  platform = await startTestPlatform()
  dataset = await loadCompleteJourney(DEFAULT_DATA_DIR)
})
afterAll(() => platform?.close())

// ---------------------------------------------------------------------------------------------
// The file's own figures, independently of completejourney.ts

/** An id as digits; R wrote a few round ids as "4.0128e+10". */
function digits(text: string): string {
  if (/^\d+$/.test(text)) return text
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not an id: ${text}`)
  return String(n)
}

/** A decimal as written ("3.86", "4.440892e-16") as an exact integer count of 10^-30. */
const SCALE30 = 30
function exact30(text: string): bigint {
  const match = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text)
  if (!match) throw new Error(`not a non-negative decimal: ${text}`)
  const [, whole, fraction = '', exponent = '0'] = match
  const shift = Number(exponent) - fraction.length + SCALE30
  if (shift < 0) throw new Error(`more than ${SCALE30} decimals: ${text}`)
  return BigInt(whole! + fraction) * 10n ** BigInt(shift)
}
/** Exact 10^-30 units → "1234.56", rounded half up to the cent only here, at the end. */
function toCents(units: bigint): string {
  const cents = (units + 5n * 10n ** BigInt(SCALE30 - 3)) / 10n ** BigInt(SCALE30 - 2)
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`
}

interface Expected {
  lines: number
  baskets: Set<string>
  households: Set<string>
  /** store_id → baskets and exact sales */
  stores: Map<string, { baskets: Set<string>; sales: bigint }>
  salesTotal: string
  unknownProductLines: number
  firstAt: string
  lastAt: string
}

function expectedFromCsv(dir: string): Expected {
  // The files have CRLF line endings.
  const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8').split(/\r?\n/).filter((l) => l !== '')
  const [productHeader, ...productLines] = read('products.csv')
  expect(productHeader!.split(',')[0]).toBe('product_id')
  expect(productLines.some((l) => l.includes('"'))).toBe(false) // so splitting on commas is right
  const productIds = new Set(productLines.map((l) => digits(l.split(',')[0]!)))

  const [header, ...lines] = read('transactions_sample.csv')
  expect(header).toBe('household_id,store_id,basket_id,product_id,quantity,sales_value,retail_disc,coupon_disc,coupon_match_disc,week,transaction_timestamp')
  const e: Expected = { lines: 0, baskets: new Set(), households: new Set(), stores: new Map(), salesTotal: '', unknownProductLines: 0, firstAt: '~', lastAt: '' }
  let sales = 0n
  for (const line of lines) {
    const [household, store, basket, product, , salesValue, , , , , at] = line.split(',')
    e.lines++
    e.baskets.add(digits(basket!))
    e.households.add(household!)
    const perStore = e.stores.get(store!) ?? { baskets: new Set<string>(), sales: 0n }
    perStore.baskets.add(digits(basket!))
    perStore.sales += exact30(salesValue!)
    e.stores.set(store!, perStore)
    sales += exact30(salesValue!)
    if (!productIds.has(digits(product!))) e.unknownProductLines++
    if (at! < e.firstAt) e.firstAt = at!
    if (at! > e.lastAt) e.lastAt = at!
  }
  e.salesTotal = toCents(sales)
  return e
}

/*
 * ClickHouse prints Decimals as strings without trailing zeros ('1' for 1.00, '2.5' for 2.50;
 * output_format_decimal_trailing_zeros is off by default), so sums are read through
 * toDecimalString(…, 2) to compare them as cent strings.
 */

/** "2017-01-01T12:30:27Z" as ClickHouse prints a DateTime64(3, 'UTC'). */
const chTime = (iso: string) => iso.replace('T', ' ').replace('Z', '.000')

// ---------------------------------------------------------------------------------------------

test('the whole file through /v1/swipes/bulk: every basket, household and store, to the cent, in ClickHouse', async () => {
  const expected = expectedFromCsv(DEFAULT_DATA_DIR)
  // The figures measured when the importer was written; the test does not rely on them.
  expect([expected.lines, expected.baskets.size, expected.households.size, expected.stores.size]).toEqual([75_000, 47_243, 2_377, 293])
  expect(dataset.summary).toMatchObject({
    lines: expected.lines,
    baskets: expected.baskets.size,
    households: expected.households.size,
    stores: expected.stores.size,
    unknownCategoryLines: expected.unknownProductLines,
    salesTotal: expected.salesTotal,
  })

  const started = Date.now()
  const result = await importDataset(platform.stores, platform.baseUrl, dataset, { concurrency: 2 })
  const postedMs = Date.now() - started
  expect(result.rejections).toEqual([])
  expect(result).toMatchObject({ lines: expected.baskets.size, accepted: expected.baskets.size, replayed: 0, rejected: 0, storesCreated: expected.stores.size })
  expect(result.recordedTotal).toBe(expected.salesTotal)

  const shipStarted = Date.now()
  await platform.shipper().drain()
  const shippedMs = Date.now() - shipStarted
  console.log(
    `imported ${result.lines} swipes in ${(postedMs / 1000).toFixed(1)} s (${Math.round(result.lines / (postedMs / 1000))} swipes/s); ` +
      `shipped to ClickHouse in ${(shippedMs / 1000).toFixed(1)} s`,
  )

  const [swipes] = await chRows<Record<string, string>>(
    platform.ch,
    `SELECT count() AS n, uniqExact(store_id, txn_id) AS distinct_txns, uniqExact(card_number) AS cards,
            uniqExact(store_id) AS stores, toDecimalString(sum(total), 2) AS total, sum(line_count) AS line_count,
            min(occurred_at) AS first_at, max(occurred_at) AS last_at, uniqExact(currency, kind, terminal_id) AS shapes
     FROM swipes`,
  )
  expect(swipes).toEqual({
    n: String(expected.baskets.size),
    distinct_txns: String(expected.baskets.size), // no swipe stored twice
    cards: String(expected.households.size),
    stores: String(expected.stores.size),
    total: expected.salesTotal,
    line_count: String(expected.lines),
    first_at: chTime(expected.firstAt),
    last_at: chTime(expected.lastAt),
    shapes: '1',
  })

  const [lines] = await chRows<Record<string, string>>(
    platform.ch,
    `SELECT count() AS n, uniqExact(store_id, txn_id, line_no) AS distinct_lines, toDecimalString(sum(amount), 2) AS amount,
            countIf(category = {unknown:String}) AS unknown, countIf(quantity <= 0) AS non_positive
     FROM swipe_lines`,
    { unknown: 'UNKNOWN' },
  )
  expect(lines).toEqual({
    n: String(expected.lines),
    distinct_lines: String(expected.lines),
    amount: expected.salesTotal,
    unknown: String(expected.unknownProductLines),
    non_positive: '0',
  })

  // Every basket by id.
  const txnIds = await chRows<{ txn_id: string }>(platform.ch, 'SELECT txn_id FROM swipes')
  expect(new Set(txnIds.map((r) => r.txn_id))).toEqual(new Set([...expected.baskets].map((b) => `cj-${b}`)))

  // Every household by its card: '9' + the id in 11 digits + a check digit.
  const cards = await chRows<{ card_number: string }>(platform.ch, 'SELECT DISTINCT card_number FROM swipes')
  expect(new Set(cards.map((r) => String(Number(r.card_number.slice(1, 12)))))).toEqual(expected.households)

  // Every store: its baskets and its sales to the cent.
  const codes = new Map(
    (await platform.db.pg.query<{ id: string; code: string }>('SELECT id, code FROM stores')).map((s) => [s.id, s.code]),
  )
  const perStore = await chRows<{ store_id: string; n: string; total: string }>(
    platform.ch,
    'SELECT store_id, count() AS n, toDecimalString(sum(total), 2) AS total FROM swipes GROUP BY store_id',
  )
  const actualByCode = Object.fromEntries(perStore.map((r) => [codes.get(r.store_id), { baskets: r.n, total: r.total }]))
  const expectedByCode = Object.fromEntries(
    [...expected.stores].map(([id, s]) => [`cj-${id}`, { baskets: String(s.baskets.size), total: toCents(s.sales) }]),
  )
  expect(actualByCode).toEqual(expectedByCode)
})

test('every household is one member, each balance equals its ledger, and a basket earns its whole dollars', async () => {
  const [members] = await platform.db.pg.query<{ cards: string; members: string }>(
    'SELECT count(*) AS cards, count(DISTINCT member_id) AS members FROM cards',
  )
  expect(members).toEqual({ cards: '2377', members: '2377' })
  const broken = await platform.db.pg.query(
    `SELECT a.member_id FROM point_accounts a
     WHERE a.balance <> (SELECT coalesce(sum(points), 0) FROM points_ledger l WHERE l.member_id = a.member_id)
        OR greatest(a.balance, 0) <> (SELECT coalesce(sum(remaining), 0) FROM point_lots p WHERE p.member_id = a.member_id)`,
  )
  expect(broken).toEqual([])
  // The default programme: 1 point per whole USD of each basket, worked out here in SQL from
  // the totals as recorded, not by the scoring code.
  const [points] = await platform.db.pg.query<{ booked: string; expected: string; told: string }>(
    `SELECT (SELECT sum(points) FROM points_ledger WHERE kind = 'earn') AS booked,
            (SELECT sum(floor((swipe ->> 'total')::numeric)) FROM ingest_journal) AS expected,
            (SELECT sum((answer -> 'points' ->> 'earned')::bigint) FROM ingest_journal) AS told`,
  )
  expect(points!.booked).toBe(points!.expected)
  expect(points!.told).toBe(points!.expected)
})

test('importing again replays every swipe and stores nothing twice', async () => {
  const result = await importDataset(platform.stores, platform.baseUrl, dataset, { concurrency: 2 })
  expect(result).toMatchObject({ lines: 47_243, accepted: 0, replayed: 47_243, rejected: 0, storesCreated: 0 })
  expect(result.recordedTotal).toBe(dataset.summary.salesTotal)
  expect(await platform.shipper().drain()).toBe(0)
  const [row] = await chRows<{ n: string; lines: string }>(platform.ch, 'SELECT count() AS n, (SELECT count() FROM swipe_lines) AS lines FROM swipes')
  expect(row).toEqual({ n: '47243', lines: '75000' })
  // The keys issued for both runs were revoked when each run ended.
  const [keys] = await platform.db.pg.query<{ live: string }>('SELECT count(*) AS live FROM store_api_keys WHERE revoked_at IS NULL')
  expect(keys!.live).toBe('0')
})
