import { afterLaunchSwipes, demoMembers, historySwipes, ndjsonLine, type HeldCoupon } from './demo-generator'
import { SwipeSchema } from '../ingest/swipe.schemas'

const end = new Date('2026-10-01T00:00:00Z')
const generate = (seed: number) => {
  const members = demoMembers(seed, 60, 4)
  const history = historySwipes({ seed, members, stores: 4, end })
  return { members, history, lines: [...history.sales, ...history.returns].map(ndjsonLine) }
}

test('the same seed gives the same members and swipes, byte for byte; another seed differs', () => {
  const a = generate(7)
  expect(generate(7).lines).toEqual(a.lines)
  expect(generate(7).members).toEqual(a.members)
  expect(generate(8).lines).not.toEqual(a.lines)
})

test('every generated swipe is valid for the swipe schema, within the year, with unique txn ids per store', () => {
  const { history } = generate(3)
  const all = [...history.sales, ...history.returns]
  expect(history.sales.length).toBeGreaterThan(1000)
  expect(history.returns.length).toBeGreaterThan(0)
  for (const swipe of all) {
    const parsed = SwipeSchema.safeParse(JSON.parse(ndjsonLine(swipe)))
    if (!parsed.success) throw new Error(`${JSON.stringify(swipe)}: ${JSON.stringify(parsed.error.issues)}`)
    expect(Date.parse(swipe.occurred_at)).toBeLessThan(end.getTime())
    expect(Date.parse(swipe.occurred_at)).toBeGreaterThanOrEqual(end.getTime() - 365 * 86_400_000)
  }
  expect(new Set(all.map((s) => `${s.store}|${s.txn_id}`)).size).toBe(all.length)
})

test('the personas differ: families buy baby products, lapsing members fall away, occasional shoppers come rarely', () => {
  const { members, history } = generate(11)
  const visits = new Map<string, number>()
  for (const s of history.sales) visits.set(s.card_number, (visits.get(s.card_number) ?? 0) + 1)
  const mean = (persona: string) => {
    const of = members.filter((m) => m.persona === persona)
    return of.reduce((n, m) => n + (visits.get(m.card) ?? 0), 0) / of.length
  }
  expect(mean('loyal')).toBeGreaterThan(3 * mean('occasional'))
  const families = new Set(members.filter((m) => m.persona === 'family').map((m) => m.card))
  expect(history.sales.some((s) => families.has(s.card_number) && s.lines.some((l) => l.category === 'Baby'))).toBe(true)
  const lapsing = members.filter((m) => m.persona === 'lapsing')
  const late = history.sales.filter((s) => lapsing.some((m) => m.card === s.card_number) && Date.parse(s.occurred_at) > end.getTime() - 60 * 86_400_000)
  expect(late.length).toBeLessThan(lapsing.length)
})

test('after the launch, treated members redeem some coupons; everyone else shops exactly as without the campaign', () => {
  const seed = 5
  const members = demoMembers(seed, 80, 3)
  const coupons = new Map<string, HeldCoupon>(members.slice(0, 40).map((m, i) => [m.card, { code: `CODE-${i}`, category: 'Dairy', minCents: 1000 }]))
  const options = { seed, members, stores: 3, start: end, days: 28 }
  const treated = afterLaunchSwipes({ ...options, coupons })
  const untreated = afterLaunchSwipes({ ...options, coupons: new Map() })
  const redeeming = treated.filter((s) => s.coupon_codes)
  expect(redeeming.length).toBeGreaterThan(5)
  expect(redeeming.length).toBeLessThan(40)
  for (const s of redeeming) expect(s.lines.some((l) => l.category === 'Dairy') && Number(s.total) >= 10).toBe(true)
  expect(treated.filter((s) => !s.coupon_codes)).toEqual(untreated)
  expect(afterLaunchSwipes({ ...options, coupons })).toEqual(treated)
})
