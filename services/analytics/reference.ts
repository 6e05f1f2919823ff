import { formatScaled, parseScaled, roundDivPow10 } from '../platform/decimal'
import type { ProfileFigures } from './member-profile'
import { segmentOf, type Score, type SegmentSlug } from './segments'

/**
 * docs/segments.md written as plain TypeScript, from the definitions and not from the SQL: the
 * profile of every member and their RFM scores, from a list of swipes and who holds each card.
 * Only the property test uses it (analytics.property.int.test.ts), against what the SQL writes.
 * Money is exact (bigint cents, printed with 2 decimals, quantities with 3); shares, lifts,
 * rates and trends are floats rounded to 4 decimals. Keep in sync with docs/segments.md.
 */

export interface ReferenceLine {
  sku: string
  category: string
  quantity: string
  unit_price: string
  discount?: string
}

/** A swipe as written (test/helpers/analytics.ts AnalyticsSwipe with its defaults filled in). */
export interface ReferenceSwipe {
  card: string
  store: string
  txn: string
  /** ISO 8601 with the till's offset. */
  at: string
  kind: 'sale' | 'return'
  lines: ReferenceLine[]
  coupons: string[]
}

/** A profile as the doc defines it: money with 2 decimals, quantities with 3, times ISO 8601 (UTC). */
export type ReferenceProfile = ProfileFigures & { member_id: string }

export interface ReferenceRfm {
  member_id: string
  recency_days: number
  frequency: number
  monetary: string
  r: Score
  f: Score
  m: Score
  segment: SegmentSlug
}

/** A line without a category (docs/segments.md "Profile"): never a top category. */
const UNCATEGORIZED = ''

const DAY_MS = 86_400_000

/** A swipe with its figures worked out: the instant, local time, cents and milli-units. */
interface Fact {
  member: string | undefined
  store: string
  txn: string
  ms: number
  /** The till's local wall-clock time as if it were UTC (read it with getUTC*). */
  local: Date
  sale: boolean
  /** The total: positive for both kinds. */
  cents: bigint
  coupons: number
  lines: { sku: string; category: string; milli: bigint; cents: bigint }[]
}

function units(text: string, scale: number): bigint {
  const value = parseScaled(text, scale)
  if (value === null) throw new Error(`not a ${scale}-place decimal: ${text}`)
  return value
}

function offsetMinutes(iso: string): number {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(iso)
  if (!m) return 0
  const minutes = Number(m[2]) * 60 + Number(m[3])
  return m[1] === '-' ? -minutes : minutes
}

/** A line's amount: round_half_up(quantity × unit_price, 2) − discount, in cents. */
function lineCents(l: ReferenceLine): bigint {
  return roundDivPow10(units(l.quantity, 3) * units(l.unit_price, 4), 5) - units(l.discount ?? '0', 2)
}

/** The swipes once each (a swipe re-sent is one swipe: same card, store and txn), as facts. */
function facts(swipes: readonly ReferenceSwipe[], cardMembers: ReadonlyMap<string, string>): Fact[] {
  const unique = new Map<string, ReferenceSwipe>()
  for (const s of swipes) unique.set(`${s.card}\u0000${s.store}\u0000${s.txn}`, s)
  return [...unique.values()].map((s) => {
    const ms = Date.parse(s.at)
    const lines = s.lines.map((l) => ({ sku: l.sku, category: l.category, milli: units(l.quantity, 3), cents: lineCents(l) }))
    return {
      member: cardMembers.get(s.card),
      store: s.store,
      txn: s.txn,
      ms,
      local: new Date(ms + offsetMinutes(s.at) * 60_000),
      sale: s.kind === 'sale',
      cents: lines.reduce((sum, l) => sum + l.cents, 0n),
      coupons: s.coupons.length,
      lines,
    }
  })
}

/** In (asOf − days, asOf]. */
const within = (ms: number, asOf: number, days: number, endDays = 0) => ms > asOf - days * DAY_MS && ms <= asOf - endDays * DAY_MS

const round4 = (x: number) => Math.round(x * 10_000) / 10_000
const money = (cents: bigint) => formatScaled(cents, 2)
const signed = (f: Fact, cents: bigint) => (f.sale ? cents : -cents)
const byMember = (all: Fact[]) => {
  const groups = new Map<string, Fact[]>()
  for (const f of all) if (f.member !== undefined) groups.set(f.member, [...(groups.get(f.member) ?? []), f])
  return groups
}

/** Net amount per key over the lines, largest first, ties by name; only positive amounts. */
function topByAmount<T>(lines: { key: string; cents: bigint; value: T }[]): Map<string, { cents: bigint; values: T[] }> {
  const sums = new Map<string, { cents: bigint; values: T[] }>()
  for (const l of lines) {
    const entry = sums.get(l.key) ?? { cents: 0n, values: [] }
    entry.cents += l.cents
    entry.values.push(l.value)
    sums.set(l.key, entry)
  }
  const ranked = [...sums].filter(([, e]) => e.cents > 0n)
  ranked.sort(([ka, a], [kb, b]) => (a.cents !== b.cents ? (a.cents > b.cents ? -1 : 1) : ka < kb ? -1 : ka > kb ? 1 : 0))
  return new Map(ranked.slice(0, 5))
}

/** The profile of every member with a visit in (asOf − windowDays, asOf], by member id. */
export function referenceProfiles(
  swipes: readonly ReferenceSwipe[],
  cardMembers: ReadonlyMap<string, string>,
  asOf: Date,
  windowDays: number,
): ReferenceProfile[] {
  const now = asOf.getTime()
  const all = facts(swipes, cardMembers)
  // Every card's window lines, mapped or not: what lift compares a member against.
  const mix = new Map<string, bigint>()
  let mixTotal = 0n
  for (const f of all.filter((f) => within(f.ms, now, windowDays))) {
    for (const l of f.lines) {
      mix.set(l.category, (mix.get(l.category) ?? 0n) + signed(f, l.cents))
      mixTotal += signed(f, l.cents)
    }
  }
  const profiles: ReferenceProfile[] = []
  for (const [member, mine] of byMember(all)) {
    const inWindow = mine.filter((f) => within(f.ms, now, windowDays))
    const visits = inWindow.filter((f) => f.sale).sort((a, b) => a.ms - b.ms)
    if (visits.length === 0) continue
    const sales = visits.reduce((sum, f) => sum + f.cents, 0n)
    const returns = inWindow.filter((f) => !f.sale).reduce((sum, f) => sum + f.cents, 0n)
    const period = (from: number, to: number) => mine.filter((f) => within(f.ms, now, from, to))
    const spendOf = (fs: Fact[]) => fs.reduce((sum, f) => sum + signed(f, f.cents), 0n)
    const recent = period(90, 0)
    const previous = period(180, 90)
    const recentSpend = spendOf(recent)
    const previousSpend = spendOf(previous)
    const couponVisits = visits.filter((f) => f.coupons > 0).length
    const lines = inWindow.flatMap((f) => f.lines.map((l) => ({ ...l, cents: signed(f, l.cents), milli: signed(f, l.milli), fact: f })))
    const lineTotal = lines.reduce((sum, l) => sum + l.cents, 0n)
    const categories = topByAmount(lines.filter((l) => l.category !== UNCATEGORIZED).map((l) => ({ key: l.category, cents: l.cents, value: null })))
    const skus = topByAmount(lines.map((l) => ({ key: l.sku, cents: l.cents, value: l })))
    profiles.push({
      member_id: member,
      visits: visits.length,
      sales: money(sales),
      returns: money(returns),
      spend: money(sales - returns),
      avg_basket: money(divideHalfAwayFromZero(sales - returns, BigInt(visits.length))),
      first_visit: new Date(visits[0]!.ms).toISOString(),
      last_visit: new Date(visits.at(-1)!.ms).toISOString(),
      days_since_last_visit: Math.floor((now - visits.at(-1)!.ms) / DAY_MS),
      median_days_between_visits: medianGap(visits.map((f) => Math.floor(f.local.getTime() / DAY_MS))),
      preferred_store_id: preferredStore(visits),
      weekday_visits: [1, 2, 3, 4, 5, 6, 7].map((d) => visits.filter((f) => (f.local.getUTCDay() || 7) === d).length),
      hour_visits: Array.from({ length: 24 }, (_, h) => visits.filter((f) => f.local.getUTCHours() === h).length),
      top_categories: [...categories].map(([category, { cents }]) => {
        const share = lineTotal > 0n ? Number(cents) / Number(lineTotal) : 0
        const overallShare = Number(mix.get(category) ?? 0n) / Number(mixTotal)
        return { category, spend: money(cents), share: round4(share), lift: lineTotal > 0n && overallShare > 0 ? round4(share / overallShare) : 0 }
      }),
      top_skus: [...skus].map(([sku, { cents, values }]) => ({
        sku,
        spend: money(cents),
        quantity: formatScaled(values.reduce((sum, l) => sum + l.milli, 0n), 3),
        visits: new Set(values.filter((l) => l.fact.sale).map((l) => `${l.fact.store}\u0000${l.fact.txn}`)).size,
      })),
      coupon_visits: couponVisits,
      coupon_rate: round4(couponVisits / visits.length),
      recent_spend: money(recentSpend),
      previous_spend: money(previousSpend),
      recent_visits: recent.filter((f) => f.sale).length,
      previous_visits: previous.filter((f) => f.sale).length,
      trend: previousSpend > 0n ? round4(Number(recentSpend) / Number(previousSpend) - 1) : null,
      lapsed_category: lapsedCategory(lines, now),
    })
  }
  return profiles.sort((a, b) => (a.member_id < b.member_id ? -1 : 1))
}

/**
 * The category with the most net spend in the window before the recent 90 days (in the window,
 * at or before asOf − 90 d) among those with a positive amount there and a net amount ≤ 0 in the
 * recent 90 days (after asOf − 90 d); ties by name; '' when there is none. Never ''-category.
 */
function lapsedCategory(lines: { category: string; cents: bigint; fact: Fact }[], now: number): string {
  const earlier = new Map<string, bigint>()
  const recent = new Map<string, bigint>()
  for (const l of lines) {
    if (l.category === UNCATEGORIZED) continue
    const sums = within(l.fact.ms, now, 90) ? recent : earlier
    sums.set(l.category, (sums.get(l.category) ?? 0n) + l.cents)
  }
  const lapsed = [...earlier].filter(([category, cents]) => cents > 0n && (recent.get(category) ?? 0n) <= 0n)
  lapsed.sort(([ka, a], [kb, b]) => (a !== b ? (a > b ? -1 : 1) : ka < kb ? -1 : ka > kb ? 1 : 0))
  return lapsed[0]?.[0] ?? ''
}

/** cents / n in cents, rounded half away from zero. */
function divideHalfAwayFromZero(cents: bigint, n: bigint): bigint {
  const magnitude = cents < 0n ? -cents : cents
  const rounded = (2n * magnitude + n) / (2n * n)
  return cents < 0n ? -rounded : rounded
}

/** The median of the gaps between neighbouring distinct dates (day numbers); null under two. */
function medianGap(days: number[]): number | null {
  const dates = [...new Set(days)].sort((a, b) => a - b)
  if (dates.length < 2) return null
  const gaps = dates.slice(1).map((d, i) => d - dates[i]!).sort((a, b) => a - b)
  const mid = Math.floor(gaps.length / 2)
  return gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2
}

/** Most visits; ties to the lowest store id. */
function preferredStore(visits: Fact[]): string {
  const counts = new Map<string, number>()
  for (const f of visits) counts.set(f.store, (counts.get(f.store) ?? 0) + 1)
  let best: [string, number] | undefined
  for (const [store, n] of counts) if (!best || n > best[1] || (n === best[1] && store < best[0])) best = [store, n]
  return best![0]
}

/** RFM scores and segment of every member with a visit in (asOf − windowDays, asOf], by member id. */
export function referenceRfm(
  swipes: readonly ReferenceSwipe[],
  cardMembers: ReadonlyMap<string, string>,
  asOf: Date,
  windowDays: number,
): ReferenceRfm[] {
  const now = asOf.getTime()
  const active: { member: string; recency: number; frequency: number; monetary: bigint }[] = []
  for (const [member, mine] of byMember(facts(swipes, cardMembers))) {
    const inWindow = mine.filter((f) => within(f.ms, now, windowDays))
    const visits = inWindow.filter((f) => f.sale)
    if (visits.length === 0) continue
    const last = Math.max(...visits.map((f) => f.ms))
    const monetary = inWindow.reduce((sum, f) => sum + signed(f, f.cents), 0n)
    active.push({ member, recency: Math.floor((now - last) / DAY_MS), frequency: visits.length, monetary })
  }
  // A higher goodness is better: fewer days, more visits, more spend.
  const scores = (goodness: (a: (typeof active)[number]) => bigint) => {
    const values = active.map(goodness)
    // rank = 1 + the members strictly worse; score = 1 + floor(5 (rank − 1) / N)
    return values.map((v) => {
      const worse = values.filter((w) => w < v).length
      return (1 + Math.floor((5 * worse) / active.length)) as Score
    })
  }
  const r = scores((a) => BigInt(-a.recency))
  const f = scores((a) => BigInt(a.frequency))
  const m = scores((a) => a.monetary)
  return active
    .map((a, i) => ({
      member_id: a.member,
      recency_days: a.recency,
      frequency: a.frequency,
      monetary: money(a.monetary),
      r: r[i]!,
      f: f[i]!,
      m: m[i]!,
      segment: segmentOf(r[i]!, f[i]!),
    }))
    .sort((a, b) => (a.member_id < b.member_id ? -1 : 1))
}
