import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { insertSwipes, type AnalyticsSwipe } from '../../test/helpers/analytics'
import { readProfiles, readRfm } from '../../test/helpers/analytics-results'
import { chRows, createTestClickHouse, createTestPostgres, type TestPostgres } from '../../test/helpers/databases'
import { totalOf } from '../../test/helpers/factories'
import { DATA_FILES, householdCardNumber, loadProducts, mapDataset, readTransactionRows, type CjDataset, type CjTransactionRow } from '../ingest/import/completejourney'
import { DEFAULT_DATA_DIR } from '../ingest/import/import.cli'
import type { ClickHouse } from '../platform/clickhouse'
import { createLogger } from '../platform/logger'
import { referenceProfiles, referenceRfm, type ReferenceSwipe } from './reference'
import { runAnalytics, type RunResult } from './run-analytics'
import { segmentOf, SEGMENT_SLUGS, type Score } from './segments'

/**
 * Profiles and RFM (docs/segments.md) on the real Complete Journey sample: the baskets mapped
 * to swipes by the importer's own pure mapping (mapDataset), written straight into ClickHouse,
 * each household's card held by one member; one run as of 2018-01-01T00:00Z over 365 days.
 * Every figure is reconciled against what this test works out from the CSV lines on its own
 * (plain comma splitting, exact decimals), never against ClickHouse. The figures quoted in
 * docs/segments.md "On the real data" are printed by the last test.
 */

const AS_OF = new Date('2018-01-01T00:00:00Z')
const WINDOW_DAYS = 365
const DAY_MS = 86_400_000
const START_MS = AS_OF.getTime() - WINDOW_DAYS * DAY_MS
const SWIPES_PER_INSERT = 5_000

let db: TestPostgres
let ch: ClickHouse
let dataset: CjDataset
let file: FileFigures
let run: RunResult
/** The swipes as written, for the reference computation. */
const written: ReferenceSwipe[] = []
/** household_id → the member holding its card. */
const memberOf = new Map<string, string>()
const householdOf = new Map<string, string>()

// ---------------------------------------------------------------------------------------------
// The file's own figures, independently of completejourney.ts and the SQL

/** An id as digits; R wrote a few round ids as "4.0128e+10". */
function digits(text: string): string {
  if (/^\d+$/.test(text)) return text
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not an id: ${text}`)
  return String(n)
}

/** A non-negative decimal as written ("3.86", "4.440892e-16") as an exact count of 10^-30. */
function exact30(text: string): bigint {
  const match = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text)
  if (!match) throw new Error(`not a non-negative decimal: ${text}`)
  const [, whole, fraction = '', exponent = '0'] = match
  const shift = Number(exponent) - fraction.length + 30
  if (shift < 0) throw new Error(`more than 30 decimals: ${text}`)
  return BigInt(whole! + fraction) * 10n ** BigInt(shift)
}
/** 10^-30 units → "1234.56", rounded half up to the cent only here, at the end. */
function toCents(units: bigint): string {
  const cents = (units + 5n * 10n ** 27n) / 10n ** 28n
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`
}

interface Household {
  baskets: Set<string>
  /** Distinct UTC dates of the baskets (the swipes carry offset 0). */
  dates: Set<string>
  lastMs: number
  spend: bigint
  categories: Map<string, bigint>
  /** Baskets with a coupon discount on some line (coupon_disc > 0). */
  couponBaskets: Set<string>
}

interface FileFigures {
  households: Map<string, Household>
  allHouseholds: Set<string>
  inWindow: bigint
  outOfWindow: bigint
  categories: Map<string, bigint>
}

function fileFigures(dir: string): FileFigures {
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8').split(/\r?\n/).filter((l) => l !== '')
  const [productHeader, ...productLines] = read(DATA_FILES.products)
  expect(productHeader).toBe('product_id,manufacturer_id,department,brand,product_category,product_type,package_size')
  expect(productLines.some((l) => l.includes('"'))).toBe(false) // so splitting on commas is right
  // docs/import.md: category = "DEPARTMENT / PRODUCT_CATEGORY", the department alone without a
  // category, UNKNOWN for a product products.csv does not know.
  const categoryOf = new Map(
    productLines.map((l) => {
      const f = l.split(',')
      const name = [f[2]!.trim(), f[4]!.trim()].filter((p) => p !== '').join(' / ')
      return [digits(f[0]!), name === '' ? 'UNKNOWN' : name.slice(0, 120)] as const
    }),
  )
  const [header, ...lines] = read(DATA_FILES.transactions)
  expect(header).toBe('household_id,store_id,basket_id,product_id,quantity,sales_value,retail_disc,coupon_disc,coupon_match_disc,week,transaction_timestamp')
  const out: FileFigures = { households: new Map(), allHouseholds: new Set(), inWindow: 0n, outOfWindow: 0n, categories: new Map() }
  for (const line of lines) {
    const [household, , basketText, product, , sales, , coupon, , , at] = line.split(',')
    out.allHouseholds.add(household!)
    const ms = Date.parse(at!)
    expect(Number.isNaN(ms)).toBe(false)
    const amount = exact30(sales!)
    if (ms <= START_MS || ms > AS_OF.getTime()) {
      out.outOfWindow += amount
      continue
    }
    out.inWindow += amount
    const basket = digits(basketText!)
    const h = out.households.get(household!) ?? { baskets: new Set(), dates: new Set(), lastMs: 0, spend: 0n, categories: new Map(), couponBaskets: new Set() }
    out.households.set(household!, h)
    h.baskets.add(basket)
    h.dates.add(at!.slice(0, 10))
    h.lastMs = Math.max(h.lastMs, ms)
    h.spend += amount
    const category = categoryOf.get(digits(product!)) ?? 'UNKNOWN'
    h.categories.set(category, (h.categories.get(category) ?? 0n) + amount)
    out.categories.set(category, (out.categories.get(category) ?? 0n) + amount)
    if (exact30(coupon!) > 0n) h.couponBaskets.add(basket)
  }
  return out
}

/** docs/segments.md: median of the day gaps between neighbouring distinct visit dates. */
function medianGap(dates: Set<string>): number | null {
  const days = [...dates].map((d) => Date.parse(`${d}T00:00:00Z`) / DAY_MS).sort((a, b) => a - b)
  const gaps = days.slice(1).map((d, i) => d - days[i]!).sort((a, b) => a - b)
  if (gaps.length === 0) return null
  const mid = Math.floor(gaps.length / 2)
  return gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2
}

/**
 * docs/segments.md: the largest positive net category amount, ties by name; lines without a
 * category never count (UNKNOWN is how the importer marks one: the API refuses an empty category).
 */
function topCategory(categories: Map<string, bigint>): string {
  const ranked = [...categories].filter(([name, amount]) => amount > 0n && name !== '' && name !== 'UNKNOWN')
  ranked.sort(([a, x], [b, y]) => (x === y ? (a < b ? -1 : 1) : x > y ? -1 : 1))
  return ranked[0]?.[0] ?? ''
}

/** docs/segments.md "Scores": rank among N (equal values share the lowest rank) → 1 + floor(5(rank − 1)/N). */
function quintiles<T>(values: T[], worse: (a: T, b: T) => boolean): Score[] {
  return values.map((v) => (1 + Math.floor((5 * values.filter((o) => worse(o, v)).length) / values.length)) as Score)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  // A missing data directory fails here (ENOENT), it is never skipped.
  expect(fs.statSync(DEFAULT_DATA_DIR).isDirectory()).toBe(true)
  db = await createTestPostgres()
  ch = await createTestClickHouse()

  const { products } = await loadProducts(path.join(DEFAULT_DATA_DIR, DATA_FILES.products))
  const rows: CjTransactionRow[] = []
  for await (const row of readTransactionRows(path.join(DEFAULT_DATA_DIR, DATA_FILES.transactions))) rows.push(row)
  dataset = mapDataset(rows, products)
  file = fileFigures(DEFAULT_DATA_DIR)

  const swipes: AnalyticsSwipe[] = []
  for (const store of dataset.stores) {
    for (const s of store.swipes) {
      // insertSwipes totals the lines itself: it must come to the importer's total.
      if (totalOf(s.lines) !== s.total) throw new Error(`${s.txn_id}: lines total ${totalOf(s.lines)}, importer says ${s.total}`)
      swipes.push({ card: s.card_number, store: store.code, txn: s.txn_id, at: s.occurred_at, lines: s.lines, coupons: s.coupon_codes })
      written.push({ card: s.card_number, store: store.code, txn: s.txn_id, at: s.occurred_at, kind: 'sale', lines: s.lines, coupons: s.coupon_codes })
    }
  }
  for (let i = 0; i < swipes.length; i += SWIPES_PER_INSERT) await insertSwipes(ch, swipes.slice(i, i + SWIPES_PER_INSERT))

  // One member per household, its card mapped in two bulk statements.
  for (const household of file.allHouseholds) {
    const member = `mem_${crypto.randomBytes(16).toString('hex')}`
    memberOf.set(household, member)
    householdOf.set(member, household)
  }
  const households = [...memberOf.keys()]
  await db.pg.query(`INSERT INTO members (id, status) SELECT unnest($1::text[]), 'anonymous'`, [households.map((h) => memberOf.get(h))])
  await db.pg.query('INSERT INTO cards (card_number, member_id) SELECT * FROM unnest($1::text[], $2::text[])', [
    households.map(householdCardNumber),
    households.map((h) => memberOf.get(h)),
  ])

  run = await runAnalytics(
    { pg: db.pg, ch, logger: createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }), clock: () => AS_OF },
    { kinds: ['profiles', 'rfm'], asOf: AS_OF, profileWindowDays: WINDOW_DAYS, rfmWindowDays: WINDOW_DAYS },
    { profileKeepRuns: 2, rfmKeepDays: 730 },
  )
}, 120_000)
afterAll(async () => {
  await ch?.close()
  await db?.drop()
})

interface ProfileRow {
  member_id: string
  visits: number
  spend: string
  days_since_last_visit: number
  median_days_between_visits: number | null
  top_category: string
  coupon_visits: number
}
const profiles = () =>
  chRows<ProfileRow>(
    ch,
    `SELECT member_id, visits, toDecimalString(spend, 2) AS spend, days_since_last_visit, median_days_between_visits,
            if(empty(top_categories), '', top_categories[1].category) AS top_category, coupon_visits
     FROM member_profiles WHERE run_id = {run:UInt64}`,
    { run: run.run_id },
  )

test('the data is the whole sample, and the window holds all of 2017 but the baskets of the early hours of 2018-01-01', () => {
  expect(file.allHouseholds.size).toBe(dataset.summary.households)
  expect(toCents(file.inWindow + file.outOfWindow)).toBe(dataset.summary.salesTotal)
  expect(file.households.size).toBeGreaterThan(0)
  expect(file.outOfWindow).toBeGreaterThan(0n) // a few baskets fall after as_of: the window is really applied
})

test('one profile per household with a basket in the window: its distinct baskets, its spend to the cent, its last basket, its gaps, its top category', async () => {
  const rows = await profiles()
  expect(run.cards).toBe(file.allHouseholds.size)
  expect(run.profiles).toBe(file.households.size)
  expect(new Set(rows.map((r) => householdOf.get(r.member_id)))).toEqual(new Set(file.households.keys()))

  const got = Object.fromEntries(rows.map((r) => [householdOf.get(r.member_id)!, { ...r, member_id: undefined }]))
  const expected = Object.fromEntries(
    [...file.households].map(([id, h]) => [
      id,
      {
        member_id: undefined,
        visits: h.baskets.size,
        spend: toCents(h.spend),
        days_since_last_visit: Math.floor((AS_OF.getTime() - h.lastMs) / DAY_MS),
        median_days_between_visits: medianGap(h.dates),
        top_category: topCategory(h.categories),
        coupon_visits: 0, // the importer sends no coupon codes (coupon discounts are line discounts)
      },
    ]),
  )
  expect(got).toEqual(expected)

  const [sum] = await chRows<{ spend: string }>(ch, 'SELECT toDecimalString(sum(spend), 2) AS spend FROM member_profiles WHERE run_id = {run:UInt64}', { run: run.run_id })
  expect(sum!.spend).toBe(toCents(file.inWindow))
})

test('RFM: every active household scored, R/F/M by the quintile rule with ties kept together, segments from the R/F map, sizes adding up', async () => {
  const rows = await chRows<{ member_id: string; recency_days: number; frequency: number; monetary: string; r: number; f: number; m: number; segment: string }>(
    ch,
    'SELECT member_id, recency_days, frequency, toDecimalString(monetary, 2) AS monetary, r, f, m, segment FROM rfm_scores WHERE run_id = {run:UInt64}',
    { run: run.run_id },
  )
  expect(run.scored).toBe(file.households.size)
  expect(rows).toHaveLength(file.households.size)
  for (const r of rows) for (const score of [r.r, r.f, r.m]) expect(score >= 1 && score <= 5).toBe(true)

  const ids = [...file.households.keys()]
  const hs = ids.map((id) => file.households.get(id)!)
  const recency = hs.map((h) => Math.floor((AS_OF.getTime() - h.lastMs) / DAY_MS))
  const frequency = hs.map((h) => h.baskets.size)
  const monetary = hs.map((h) => (h.spend + 5n * 10n ** 27n) / 10n ** 28n)
  const rScores = quintiles(recency, (a, b) => a > b)
  const fScores = quintiles(frequency, (a, b) => a < b)
  const mScores = quintiles(monetary, (a, b) => a < b)
  const expected = Object.fromEntries(
    ids.map((id, i) => [
      id,
      {
        recency_days: recency[i],
        frequency: frequency[i],
        monetary: toCents(hs[i]!.spend),
        r: rScores[i],
        f: fScores[i],
        m: mScores[i],
        segment: segmentOf(rScores[i]!, fScores[i]!),
      },
    ]),
  )
  const got = Object.fromEntries(rows.map(({ member_id, ...rest }) => [householdOf.get(member_id)!, rest]))
  expect(got).toEqual(expected)

  const sizes = await chRows<{ segment: string; members: number }>(ch, 'SELECT segment, members FROM rfm_segment_sizes WHERE run_id = {run:UInt64}', { run: run.run_id })
  const counted = new Map<string, number>()
  for (const e of Object.values(expected)) counted.set(e.segment, (counted.get(e.segment) ?? 0) + 1)
  expect(Object.fromEntries(sizes.map((s) => [s.segment, s.members]))).toEqual(Object.fromEntries(counted))
  expect(sizes.reduce((n, s) => n + s.members, 0)).toBe(file.households.size)
  expect(sizes.every((s) => (SEGMENT_SLUGS as string[]).includes(s.segment))).toBe(true)
})

/** Every difference between actual and expected; numbers within 1e-4 (shares, lifts, rates, trends, medians). */
function differences(actual: unknown, expected: unknown, at = '$'): string[] {
  if (typeof expected === 'number' && typeof actual === 'number') return Math.abs(actual - expected) <= 1e-4 + 1e-12 ? [] : [`${at}: ${actual} ≠ ${expected}`]
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (actual.length !== expected.length) return [`${at}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`]
    return expected.flatMap((e, i) => differences(actual[i], e, `${at}[${i}]`))
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)])
    return [...keys].flatMap((k) => differences((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${at}.${k}`))
  }
  return actual === expected ? [] : [`${at}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`]
}

test('every profile and RFM field of the run equals the TypeScript reference (reference.ts) on the whole real sample', async () => {
  const cardMembers = new Map([...memberOf].map(([household, member]) => [householdCardNumber(household), member]))
  const expectedProfiles = referenceProfiles(written, cardMembers, AS_OF, WINDOW_DAYS)
  const expectedRfm = referenceRfm(written, cardMembers, AS_OF, WINDOW_DAYS)
  expect(expectedProfiles).toHaveLength(file.households.size)
  const label = (list: { member_id: string }[]) => Object.fromEntries(list.map((p) => [householdOf.get(p.member_id)!, p]))
  expect(differences(label(await readProfiles(ch, run.run_id)), label(expectedProfiles)).slice(0, 30)).toEqual([])
  expect(differences(label(await readRfm(ch, run.run_id)), label(expectedRfm)).slice(0, 30)).toEqual([])
})

test('the figures docs/segments.md quotes (printed), worked out from the file', async () => {
  const hs = [...file.households.values()]
  const rfm = await chRows<{ r: number; f: number; recency_days: number; frequency: number; segment: string }>(
    ch,
    'SELECT r, f, recency_days, frequency, segment FROM rfm_scores WHERE run_id = {run:UInt64}',
    { run: run.run_id },
  )
  const count = <T>(xs: T[]) => Object.fromEntries([...xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<T, number>())].sort())
  const gaps = hs.map((h) => medianGap(h.dates)).filter((g): g is number => g !== null)
  const total = [...file.categories.values()].reduce((a, b) => a + b, 0n)
  const topCategories = [...file.categories]
    .sort(([, a], [, b]) => (a === b ? 0 : a > b ? -1 : 1))
    .slice(0, 5)
    .map(([name, amount]) => `${name} ${toCents(amount)} (${(Number((amount * 10_000n) / total) / 100).toFixed(2)} %)`)
  const figures = {
    profiles: hs.length,
    segments: count(rfm.map((r) => r.segment)),
    f_scores: count(rfm.map((r) => r.f)),
    min_frequency_per_f: Object.fromEntries([1, 2, 3, 4, 5].map((f) => [f, Math.min(...rfm.filter((r) => r.f === f).map((r) => r.frequency))])),
    r_scores: count(rfm.map((r) => r.r)),
    max_recency_days_per_r: Object.fromEntries([1, 2, 3, 4, 5].map((s) => [s, Math.max(...rfm.filter((r) => r.r === s).map((r) => r.recency_days))])),
    baskets: hs.reduce((n, h) => n + h.baskets.size, 0),
    median_spend: median(hs.map((h) => Number(toCents(h.spend)))),
    median_visits: median(hs.map((h) => h.baskets.size)),
    one_visit: hs.filter((h) => h.baskets.size === 1).length,
    median_of_median_gaps: median(gaps),
    with_gap: gaps.length,
    households_with_coupon_disc_basket: hs.filter((h) => h.couponBaskets.size > 0).length,
    spend_in_window: toCents(file.inWindow),
    top_categories: topCategories,
    seconds: run.seconds,
  }
  console.log(JSON.stringify(figures, null, 2))
  // The rank rule never splits a tie: households with equal visits share one F score.
  const fOf = new Map<number, Set<number>>()
  for (const r of rfm) fOf.set(r.frequency, (fOf.get(r.frequency) ?? new Set()).add(r.f))
  for (const scores of fOf.values()) expect(scores.size).toBe(1)
})
