import fc from 'fast-check'
import { insertSwipes, mapCards, type AnalyticsSwipe } from '../../test/helpers/analytics'
import { readProfiles, readRfm, runBoth } from '../../test/helpers/analytics-results'
import { useTestDatabases } from '../../test/helpers/databases'
import { makeCardNumber, makeTxnId, type LineInput } from '../../test/helpers/factories'
import { referenceProfiles, referenceRfm, type ReferenceSwipe } from './reference'

// Random small datasets through the real run (card map, SQL in ClickHouse), every field of
// every profile and RFM row compared with the plain-TypeScript reference (docs/segments.md).

const t = useTestDatabases()

const DAY_MIN = 1440
// Lexicographic order differs from numeric ('s-10' < 's-2'): the preferred store's tie-break is by text.
const STORES = ['s-10', 's-2', 's-9']
const PRODUCTS = [
  { sku: 'MILK', category: 'Dairy' },
  { sku: 'CHEESE', category: 'Dairy' },
  { sku: 'BREAD', category: 'Bakery' },
  { sku: 'APPLE', category: 'Produce' },
  { sku: 'BEER', category: 'Drinks' },
  { sku: 'MYSTERY', category: 'UNKNOWN' },
]
// Till offsets in minutes, from −05:00 to +05:45: local dates and hours cross midnight.
const OFFSETS = [-300, -240, 0, 60, 120, 330, 345]
// Every gross ≥ 0.13 (0.5 × 0.25), so a 0.10 discount always fits the line.
const QUANTITIES = ['1', '2', '0.5', '1.25', '3']
const PRICES = ['0.99', '2.50', '1.3333', '10.00', '0.25']
// Exact boundaries of the windows and trend periods, in minutes before as_of, besides random times.
const EXACT = [0, 30, 60, 90, 120, 180, 200, 365].map((d) => d * DAY_MIN)

const lineArb = fc.record({
  product: fc.constantFrom(...PRODUCTS),
  quantity: fc.constantFrom(...QUANTITIES),
  unit_price: fc.constantFrom(...PRICES),
  discount: fc.constantFrom('0.00', '0.00', '0.10'),
})
const saleArb = fc.record({
  card: fc.integer({ min: 0, max: 12 }),
  store: fc.constantFrom(...STORES),
  minutesBefore: fc.oneof(fc.integer({ min: 0, max: 400 * DAY_MIN }), fc.constantFrom(...EXACT)),
  offset: fc.constantFrom(...OFFSETS),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
  coupon: fc.boolean(),
  resent: fc.boolean(),
  returned: fc.option(fc.record({ keep: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), whole: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), minutesAfter: fc.integer({ min: 1, max: 60 * DAY_MIN }), offset: fc.constantFrom(...OFFSETS) }), { freq: 3 }),
})
const datasetArb = fc.record({
  members: fc.array(fc.record({ cards: fc.integer({ min: 1, max: 2 }), erased: fc.integer({ min: 0, max: 3 }).map((n) => n === 0) }), { minLength: 3, maxLength: 6 }),
  sales: fc.array(saleArb, { minLength: 8, maxLength: 40 }),
  // At midnight, and at an instant with milliseconds (days since are then fractional before the floor).
  asOf: fc.constantFrom('2026-06-01T00:00:00.000Z', '2026-06-01T13:37:12.345Z'),
  profileWindow: fc.constantFrom(365, 365, 180, 45),
  rfmWindow: fc.constantFrom(365, 200, 60),
})
type Dataset = typeof datasetArb extends fc.Arbitrary<infer T> ? T : never

/** An instant as ISO 8601 in the till's local time with its offset ('…T22:30:00.000-05:00'). */
function localIso(ms: number, offset: number): string {
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, 23)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** Half of a quantity (3 places), at least 0.001. */
function halfOf(quantity: string): string {
  const milli = Math.max(1, Math.floor(Math.round(Number(quantity) * 1000) / 2))
  return (milli / 1000).toFixed(3)
}

/** Writes the dataset (members in Postgres, swipes in ClickHouse); returns swipes and card map. */
async function write(data: Dataset): Promise<{ swipes: ReferenceSwipe[]; cardMembers: Map<string, string> }> {
  await t.ch.client.command({ query: 'TRUNCATE TABLE swipes' })
  await t.ch.client.command({ query: 'TRUNCATE TABLE swipe_lines' })
  const cards: string[] = []
  const cardMembers = new Map<string, string>()
  for (const m of data.members) {
    const mine = Array.from({ length: m.cards }, makeCardNumber)
    const member = await mapCards(t.db.pg, mine, m.erased ? 'erased' : 'anonymous')
    cards.push(...mine)
    if (!m.erased) for (const card of mine) cardMembers.set(card, member)
  }
  cards.push(makeCardNumber()) // a card nobody holds: it only counts in the category mix
  const asOf = Date.parse(data.asOf)
  const swipes: AnalyticsSwipe[] = []
  const resent: AnalyticsSwipe[] = []
  for (const s of data.sales) {
    const ms = asOf - s.minutesBefore * 60_000
    const lines: LineInput[] = s.lines.map((l) => ({ sku: l.product.sku, category: l.product.category, quantity: l.quantity, unit_price: l.unit_price, discount: l.discount }))
    const sale: AnalyticsSwipe = { card: cards[s.card % cards.length]!, store: s.store, txn: makeTxnId(), at: localIso(ms, s.offset), lines, coupons: s.coupon ? ['SPRING-5'] : [] }
    swipes.push(sale)
    if (s.resent) resent.push(sale)
    if (s.returned) {
      // A valid return: a subset of the sale's lines, each the whole line or half its quantity (no discount).
      const kept = lines.filter((_, i) => s.returned!.keep[i])
      const returnLines = (kept.length > 0 ? kept : [lines[0]!]).map((l, i) => (s.returned!.whole[i] ? l : { ...l, quantity: halfOf(l.quantity), discount: '0.00' }))
      swipes.push({ card: sale.card, store: sale.store, txn: makeTxnId(), at: localIso(ms + s.returned.minutesAfter * 60_000, s.returned.offset), kind: 'return', original: sale.txn, lines: returnLines })
    }
  }
  const written = await insertSwipes(t.ch, swipes)
  // The same swipes again in a separate insert, as a shipper re-sending after a crash would.
  if (resent.length > 0) await insertSwipes(t.ch, resent)
  return { swipes: written, cardMembers }
}

/** Every difference between actual and expected; numbers within 1e-4 (shares, lifts, rates, trends, medians). */
function differences(actual: unknown, expected: unknown, path = '$'): string[] {
  if (typeof expected === 'number' && typeof actual === 'number') return Math.abs(actual - expected) <= 1e-4 + 1e-12 ? [] : [`${path}: ${actual} ≠ ${expected}`]
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (actual.length !== expected.length) return [`${path}: length ${actual.length} ≠ ${expected.length} (${JSON.stringify(actual)} vs ${JSON.stringify(expected)})`]
    return expected.flatMap((e, i) => differences(actual[i], e, `${path}[${i}]`))
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)])
    return [...keys].flatMap((k) => differences((actual as any)[k], (expected as any)[k], `${path}.${k}`))
  }
  return actual === expected ? [] : [`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`]
}

// ~1 s a run; ANALYTICS_PROPERTY_RUNS=200 for a longer search.
const RUNS = Number(process.env.ANALYTICS_PROPERTY_RUNS ?? 20)

test('every profile and RFM field of a run equals the reference computation of docs/segments.md', async () => {
  // What the datasets exercised, so a generator that stopped producing a case is noticed.
  const seen = { profiles: 0, withReturns: 0, trends: 0, medians: 0, lapsed: 0, scored: 0 }
  await fc.assert(
    fc.asyncProperty(datasetArb, async (data) => {
      const { swipes, cardMembers } = await write(data)
      const runId = await runBoth(t.db.pg, t.ch, data.asOf, { profile: data.profileWindow, rfm: data.rfmWindow })
      const expectedProfiles = referenceProfiles(swipes, cardMembers, new Date(data.asOf), data.profileWindow)
      const expectedRfm = referenceRfm(swipes, cardMembers, new Date(data.asOf), data.rfmWindow)
      seen.profiles += expectedProfiles.length
      seen.withReturns += expectedProfiles.filter((p) => p.returns !== '0.00').length
      seen.trends += expectedProfiles.filter((p) => p.trend !== null).length
      seen.medians += expectedProfiles.filter((p) => p.median_days_between_visits !== null).length
      seen.lapsed += expectedProfiles.filter((p) => p.lapsed_category !== '').length
      seen.scored += expectedRfm.length
      expect(differences(await readProfiles(t.ch, runId), expectedProfiles)).toEqual([])
      expect(differences(await readRfm(t.ch, runId), expectedRfm)).toEqual([])
    }),
    // A failure's shrinking stops after a minute (or 3 s a run) and reports the smallest dataset found so far.
    { numRuns: RUNS, interruptAfterTimeLimit: Math.max(60_000, RUNS * 3_000) },
  )
  // The datasets were not all empty: the comparisons above compared something.
  console.log(seen)
  expect(seen.profiles).toBeGreaterThan(20)
  for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0)
}, Math.max(120_000, RUNS * 5_000))
