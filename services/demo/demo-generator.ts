import { withLuhnCheckDigit } from '../ingest/card-number'
import { seededRandom } from '../platform/seeded-random'

/**
 * The demo supermarket's data, generated from a seed (`npm run demo -- --seed`): the catalogue,
 * the stores, members with personas, a year of baskets and the weeks after a campaign. Pure:
 * the same seed, sizes and end day give the same swipes, byte for byte.
 */

type Random = () => number
const pick = <T>(rand: Random, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!
/** A Poisson draw (Knuth), for visits per week. */
function poisson(rand: Random, mean: number): number {
  const limit = Math.exp(-mean)
  let k = 0
  for (let p = rand(); p > limit; p *= rand()) k++
  return k
}

export interface Sku {
  sku: string
  category: string
  /** Price in cents; `weighed` SKUs sell by the kilo (quantities with 3 places). */
  cents: number
  weighed?: boolean
}

const CATALOGUE: Record<string, [string, number, boolean?][]> = {
  Dairy: [['MILK-1L', 109], ['YOGHURT-500', 189], ['BUTTER-250', 279], ['GOUDA-400', 549], ['CREAM-200', 149], ['EGGS-10', 329]],
  Bakery: [['BREAD-WHOLE', 249], ['BAGUETTE', 139], ['CROISSANT-4', 299], ['MUFFIN-2', 219]],
  Produce: [['BANANAS', 199, true], ['APPLES', 279, true], ['TOMATOES', 349, true], ['LETTUCE', 119], ['POTATOES-2KG', 299], ['AVOCADO-2', 259]],
  Meat: [['CHICKEN-FILLET', 1099, true], ['MINCE-500', 549], ['STEAK', 2499, true], ['SAUSAGES-6', 429]],
  Fish: [['SALMON-2', 699], ['SHRIMP-200', 549], ['COD', 1799, true]],
  Frozen: [['PIZZA-MARG', 349], ['PEAS-1KG', 239], ['ICECREAM-1L', 449]],
  Drinks: [['WATER-6', 299], ['COLA-1.5L', 219], ['JUICE-1L', 259], ['COFFEE-500', 699], ['WINE-RED', 799]],
  Household: [['DETERGENT', 1199], ['TOILET-ROLL-8', 549], ['DISH-TABS', 899]],
  Snacks: [['CRISPS', 199], ['CHOCOLATE', 179], ['COOKIES', 229], ['NUTS-200', 389]],
  Baby: [['NAPPIES-44', 1399], ['BABY-FOOD-4', 469], ['WIPES-3', 549], ['FORMULA-800', 1699]],
  Deli: [['HUMMUS', 219], ['OLIVES', 289], ['HAM-SLICED', 349], ['QUICHE', 599]],
}

/** The demo's SKUs, by category. */
export const CATEGORIES = Object.keys(CATALOGUE)
export const SKUS: Sku[] = Object.entries(CATALOGUE).flatMap(([category, items]) =>
  items.map(([sku, cents, weighed]) => ({ sku, category, cents, ...(weighed ? { weighed } : {}) })),
)
const SKUS_BY_CATEGORY = new Map(CATEGORIES.map((c) => [c, SKUS.filter((s) => s.category === c)]))

export const STORE_NAMES = ['Main Street', 'Harbour', 'Old Town', 'Riverside', 'Station Square', 'Westfield', 'Parkside', 'Market Hall', 'North Gate', 'Lakeside']

export interface DemoStore {
  code: string
  name: string
}

/** 6–10 stores (capped at the names there are). */
export function demoStores(count: number): DemoStore[] {
  return STORE_NAMES.slice(0, Math.max(1, Math.min(count, STORE_NAMES.length))).map((name, i) => ({ code: String(101 + i), name }))
}

export const PERSONAS = ['loyal', 'family', 'bargain', 'lapsing', 'occasional'] as const
export type Persona = (typeof PERSONAS)[number]
/** Share of members per persona (sums to 1). */
const PERSONA_MIX: [Persona, number][] = [['loyal', 0.25], ['family', 0.2], ['bargain', 0.15], ['lapsing', 0.2], ['occasional', 0.2]]
/** Visits per week, basket lines (min, max). */
const HABITS: Record<Persona, { visits: number; lines: [number, number] }> = {
  loyal: { visits: 1.1, lines: [6, 14] },
  family: { visits: 1.4, lines: [8, 18] },
  bargain: { visits: 0.9, lines: [3, 9] },
  lapsing: { visits: 1.0, lines: [5, 12] },
  occasional: { visits: 0.25, lines: [2, 7] },
}

const FIRST = ['Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Liam', 'Maya', 'Noah', 'Olga', 'Pavel', 'Rosa', 'Sami', 'Tess', 'Yusuf']
const LAST = ['Jansen', 'Müller', 'Smith', 'Rossi', 'Dubois', 'Kowalski', 'Novak', 'García', 'Berg', 'Okafor', 'Larsen', 'Silva', 'Costa', 'Ivanova', 'Byrne']

export interface DemoMember {
  index: number
  card: string
  name: string
  email: string
  persona: Persona
  /** Index into the stores: where most visits happen. */
  homeStore: number
  /** Categories this member buys from, most liked first. */
  favourites: string[]
  /** Registered at the desk (the rest stay anonymous cards). */
  registered: boolean
  personalisedOffers: boolean
  /** Lapsing members: the day (0 = first day of the year) their visits fall away. */
  lapseDay?: number
}

/** The card number of demo member `n` (13 digits, Luhn). */
export const demoCard = (n: number) => withLuhnCheckDigit(`8${String(n).padStart(11, '0')}`)

/** The members, each with a persona and preferences, from the seed. */
export function demoMembers(seed: number, count: number, stores: number): DemoMember[] {
  const rand = seededRandom(seed ^ 0x5eed)
  return Array.from({ length: count }, (_, index) => {
    let roll = rand()
    const persona = PERSONA_MIX.find(([, share]) => (roll -= share) < 0)?.[0] ?? 'occasional'
    const shuffled = [...CATEGORIES].filter((c) => c !== 'Baby').sort(() => rand() - 0.5)
    const favourites = persona === 'family' ? ['Baby', ...shuffled.slice(0, 6)] : shuffled.slice(0, 4 + Math.floor(rand() * 4))
    const first = pick(rand, FIRST)
    const last = pick(rand, LAST)
    const registered = persona === 'occasional' ? rand() < 0.4 : rand() < 0.85
    return {
      index,
      card: demoCard(index + 1),
      name: `${first} ${last}`,
      email: `${first}.${last}.${index + 1}@example.com`.toLowerCase().normalize('NFD').replace(/[^\x20-\x7e]/g, ''),
      persona,
      homeStore: Math.floor(rand() * stores),
      favourites,
      registered,
      personalisedOffers: registered && rand() < 0.7,
      ...(persona === 'lapsing' ? { lapseDay: 150 + Math.floor(rand() * 120) } : {}),
    }
  })
}

/** A swipe as the till posts it (swipe.schemas.ts). */
export interface DemoSwipe {
  store: number
  txn_id: string
  terminal_id: string
  card_number: string
  occurred_at: string
  currency: 'EUR'
  kind: 'sale' | 'return'
  original_txn_id?: string
  lines: { sku: string; category: string; quantity: string; unit_price: string; discount?: string }[]
  total: string
  coupon_codes?: string[]
}

const DAY = 86_400_000
const cents = (n: number) => (n / 100).toFixed(2)

/** One basket: lines from the member's favourites (the first `avoid` category left out), priced exactly. */
function basket(rand: Random, member: DemoMember, options: { avoid?: string; include?: string; minCents?: number } = {}): { lines: DemoSwipe['lines']; totalCents: number } {
  const [lo, hi] = HABITS[member.persona].lines
  const wanted = lo + Math.floor(rand() * (hi - lo + 1))
  const categories = member.favourites.filter((c) => c !== options.avoid)
  const lines: DemoSwipe['lines'] = []
  let totalCents = 0
  const add = (category: string) => {
    const sku = pick(rand, SKUS_BY_CATEGORY.get(category)!)
    const milli = sku.weighed ? 300 + Math.floor(rand() * 1700) : 1000 * (rand() < 0.8 ? 1 : 2 + Math.floor(rand() * 2))
    const gross = Math.floor((milli * sku.cents + 500) / 1000) // round half up, cents
    const discount = member.persona === 'bargain' && rand() < 0.35 ? Math.floor(gross * 0.25) : 0
    totalCents += gross - discount
    lines.push({ sku: sku.sku, category, quantity: (milli / 1000).toFixed(3).replace(/\.?0+$/, ''), unit_price: cents(sku.cents), ...(discount ? { discount: cents(discount) } : {}) })
  }
  if (options.include) add(options.include)
  for (let i = lines.length; i < wanted; i++) {
    // Most liked categories come first: a skewed pick.
    add(categories[Math.floor(rand() ** 1.6 * categories.length)] ?? pick(rand, CATEGORIES))
  }
  while (options.include && totalCents < (options.minCents ?? 0)) add(options.include)
  return { lines, totalCents }
}

function swipeAt(rand: Random, member: DemoMember, stores: number, day: Date, txn: string, lines: DemoSwipe['lines'], totalCents: number): DemoSwipe {
  const store = rand() < 0.85 || stores === 1 ? member.homeStore : Math.floor(rand() * stores)
  // Opening hours 08:00–21:00 UTC, busier in the afternoon.
  const minute = 8 * 60 + Math.floor(Math.sqrt(rand()) * 13 * 60)
  return {
    store,
    txn_id: txn,
    terminal_id: `till-${1 + Math.floor(rand() * 6)}`,
    card_number: member.card,
    occurred_at: new Date(day.getTime() + minute * 60_000).toISOString(),
    currency: 'EUR',
    kind: 'sale',
    lines,
    total: cents(totalCents),
  }
}

/** A return of one line of `sale`, a few days later (before `end`); the quantity is 1 or the weighed amount. */
function returnOf(rand: Random, sale: DemoSwipe, end: number): DemoSwipe | undefined {
  const at = Date.parse(sale.occurred_at) + (1 + Math.floor(rand() * 7)) * DAY
  if (at >= end) return undefined
  const line = pick(rand, sale.lines)
  const quantity = line.quantity.includes('.') ? line.quantity : '1'
  const milli = Math.round(Number(quantity) * 1000)
  const priceCents = Math.round(Number(line.unit_price) * 100)
  const gross = Math.floor((milli * priceCents + 500) / 1000)
  const lineMilli = Math.round(Number(line.quantity) * 1000)
  // Give back this share of the line's discount, so a return is never worth more than the sale.
  const discount = line.discount ? Math.floor((Math.round(Number(line.discount) * 100) * milli) / lineMilli) : 0
  return {
    store: sale.store,
    txn_id: `${sale.txn_id}-R`,
    terminal_id: 'desk-1',
    card_number: sale.card_number,
    occurred_at: new Date(at).toISOString(),
    currency: 'EUR',
    kind: 'return',
    original_txn_id: sale.txn_id,
    lines: [{ sku: line.sku, category: line.category, quantity, unit_price: line.unit_price, ...(discount ? { discount: cents(discount) } : {}) }],
    total: cents(gross - discount),
  }
}

export interface HistoryOptions {
  seed: number
  members: DemoMember[]
  stores: number
  /** The year ends here (exclusive), a UTC midnight; the campaign starts then. */
  end: Date
  days?: number
}

/**
 * A year of baskets before `end`, sales first then returns (a return must follow its sale).
 * Each member draws from a stream of its own, so one member's swipes do not depend on another's.
 */
export function historySwipes(options: HistoryOptions): { sales: DemoSwipe[]; returns: DemoSwipe[] } {
  const days = options.days ?? 365
  const start = options.end.getTime() - days * DAY
  const sales: DemoSwipe[] = []
  const returns: DemoSwipe[] = []
  for (const member of options.members) {
    const rand = seededRandom((options.seed * 7919 + member.index * 104_729) >>> 0)
    const habit = HABITS[member.persona]
    let visit = 0
    for (let week = 0; week * 7 < days; week++) {
      const lapsed = member.lapseDay !== undefined && week * 7 >= member.lapseDay
      const rate = lapsed ? 0.04 : habit.visits * (0.85 + 0.3 * rand())
      for (let v = poisson(rand, rate); v > 0; v--) {
        const day = week * 7 + Math.floor(rand() * 7)
        if (day >= days) continue
        // A lapsing member who still comes by no longer buys their favourite category.
        const { lines, totalCents } = basket(rand, member, lapsed ? { avoid: member.favourites[0] } : {})
        const sale = swipeAt(rand, member, options.stores, new Date(start + day * DAY), `D${member.index + 1}-${++visit}`, lines, totalCents)
        sales.push(sale)
        if (rand() < 0.015) {
          const back = returnOf(rand, sale, options.end.getTime())
          if (back) returns.push(back)
        }
      }
    }
  }
  return { sales, returns }
}

/** What a treated member holds: a coupon code for a category (empty: basket-wide). */
export interface HeldCoupon {
  code: string
  category: string
  /** The offer's minimum basket, in cents. */
  minCents: number
}

export interface AfterLaunchOptions {
  seed: number
  members: DemoMember[]
  stores: number
  /** The campaign's start (the history's end) and how many days follow it. */
  start: Date
  days: number
  /** Coupons by card number: those members were treated. */
  coupons: Map<string, HeldCoupon>
}

/**
 * The weeks after the launch: everyone shops as before; a treated member also has a chance
 * (a modest true uplift) of an extra visit that buys in the coupon's category and redeems it.
 */
export function afterLaunchSwipes(options: AfterLaunchOptions): DemoSwipe[] {
  const swipes: DemoSwipe[] = []
  for (const member of options.members) {
    const rand = seededRandom((options.seed * 31_337 + member.index * 65_537 + 17) >>> 0)
    const habit = HABITS[member.persona]
    const lapsed = member.lapseDay !== undefined
    let visit = 0
    for (let week = 0; week * 7 < options.days; week++) {
      for (let v = poisson(rand, lapsed ? 0.05 : habit.visits); v > 0; v--) {
        const day = week * 7 + Math.floor(rand() * 7)
        if (day >= options.days) continue
        const { lines, totalCents } = basket(rand, member, lapsed ? { avoid: member.favourites[0] } : {})
        swipes.push(swipeAt(rand, member, options.stores, new Date(options.start.getTime() + day * DAY), `A${member.index + 1}-${++visit}`, lines, totalCents))
      }
    }
    // Drawn for everyone (treated or not), so the baseline above never depends on the treatment.
    const uplift = rand()
    const day = Math.floor(rand() * options.days)
    const coupon = options.coupons.get(member.card)
    if (coupon && uplift < 0.4) {
      const { lines, totalCents } = basket(rand, member, { include: coupon.category || undefined, minCents: coupon.minCents + 100 })
      const sale = swipeAt(rand, member, options.stores, new Date(options.start.getTime() + day * DAY), `A${member.index + 1}-C`, lines, totalCents)
      swipes.push({ ...sale, coupon_codes: [coupon.code] })
    }
  }
  return swipes
}

/** A swipe as the NDJSON line the bulk endpoint reads (the store is the key's, not a field). */
export function ndjsonLine(swipe: DemoSwipe): string {
  const { store: _store, ...posted } = swipe
  return JSON.stringify(posted)
}
