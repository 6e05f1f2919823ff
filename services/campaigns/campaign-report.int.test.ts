import { insertSwipes, type AnalyticsSwipe } from '../../test/helpers/analytics'
import { insertAssignments, insertCampaign, insertCouponEvents, makeAssigned, type AssignedMember } from '../../test/helpers/campaign-report'
import { chRows } from '../../test/helpers/databases'
import { makeCardNumber } from '../../test/helpers/factories'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/**
 * The campaign report's figures against the real ClickHouse and Postgres (docs/campaigns.md
 * "Report"): a small campaign worked by hand, then the rules one by one.
 */

const NOW = new Date('2026-03-01T00:00:00Z')
let t: TestPlatform
let token: string

beforeAll(async () => {
  t = await startTestPlatform({ clock: () => NOW })
  token = (await t.createStaff(['analyst'])).token
})
afterAll(() => t.close())

const sale = (card: string, at: string, amount: string): AnalyticsSwipe => ({ card, at, lines: [{ sku: 'X', category: 'Grocery', quantity: '1', unit_price: amount }] })
const report = async (id: string, query = '') => {
  const res = await t.request('GET', `/v1/campaigns/${id}/report${query}`, { token })
  const body = await json(res)
  if (res.status !== 200) throw new Error(`report ${res.status}: ${JSON.stringify(body)}`)
  return body
}
const member = (grp: AssignedMember['grp'], cards = [makeCardNumber()]) => ({ ...makeAssigned(grp, 1)[0]!, cards })

test('a small campaign worked by hand: every figure', async () => {
  // Window [2026-01-05, 2026-01-08), all in the past (now is 2026-03-01).
  const id = await insertCampaign(t.db.pg, { validFrom: '2026-01-05T00:00:00Z', validUntil: '2026-01-08T00:00:00Z' })
  const t1 = member('treated', [makeCardNumber(), makeCardNumber()])
  const [t2, t3, h1, h2] = [member('treated'), member('treated'), member('holdout'), member('holdout')]
  await insertAssignments(t.ch, id, [t1, t2, t3, h1, h2])
  const [first] = await insertSwipes(t.ch, [sale(t1.cards[0]!, '2026-01-05T10:00:00Z', '30.00')])
  await insertSwipes(t.ch, [
    sale(t1.cards[1]!, '2026-01-06T10:00:00Z', '20.00'), // t1's second card counts for t1
    { ...sale(t1.cards[0]!, '2026-01-06T12:00:00Z', '5.00'), kind: 'return', original: first!.txn }, // t1: 30 + 20 − 5 = 45.00, 2 visits
    sale(t2.cards[0]!, '2026-01-07T09:00:00Z', '10.00'), // t2: 10.00, 1 visit
    sale(t3.cards[0]!, '2026-01-04T23:59:59Z', '99.00'), // before the window
    sale(t3.cards[0]!, '2026-01-08T00:00:00Z', '50.00'), // at valid_until: not in [from, to) → t3: 0, 0
    sale(h1.cards[0]!, '2026-01-05T15:00:00+01:00', '12.00'), // h1: 12.00, 1 visit; h2: no swipe → 0
    sale(makeCardNumber(), '2026-01-06T10:00:00Z', '500.00'), // a card of no assigned member
  ])
  await insertCouponEvents(t.ch, id, [
    ...[t1, t2, t3].map((m, i) => ({ event: 'issued' as const, code: `C${i}`, memberId: m.memberId, at: '2026-01-04T12:00:00Z' })),
    { event: 'redeemed', code: 'C0', memberId: t1.memberId, at: '2026-01-05T10:00:00Z', discount: '3.00' },
    { event: 'redeemed', code: 'C1', memberId: t2.memberId, at: '2026-01-07T09:00:00Z', discount: '1.11' },
  ])

  const r = await report(id)
  expect(r.window).toEqual({ from: '2026-01-05T00:00:00.000Z', to: '2026-01-08T00:00:00.000Z', narrowed: false, capped_at_now: false })
  // 3 issued, 2 redeemed: 0.6667; cost 3.00 + 1.11 = 4.11.
  expect(r.coupons).toEqual({ issued: 3, redeemed: 2, redemption_rate: 0.6667, discount_cost: '4.11' })
  // Treated x = 45, 10, 0: Σ 55.00, mean 18.33, visits 2, 1, 0. Holdout x = 12, 0: Σ 12.00, mean 6.00.
  expect(r.groups).toEqual({
    treated: { members: 3, revenue: '55.00', visits: 3, revenue_per_member: '18.33', visits_per_member: 1 },
    holdout: { members: 2, revenue: '12.00', visits: 1, revenue_per_member: '6.00', visits_per_member: 0.5 },
  })
  // Revenue: diff = 55/3 − 6 = 12.3333. s²_t = (2125 − 55²/3) / 2 = 558.33, s²_h = (144 − 12²/2) / 1 = 72.
  // se² = 558.33/3 + 72/2 = 222.11, se = 14.9034; df = 222.11² / ((186.11)²/2 + 36²/1) = 2.6502;
  // t(0.975, 2.6502) = 3.43376 (scipy) → 12.3333 ± 51.1747 = [−38.8413, 63.5080].
  const revenue = r.incremental.revenue_per_member
  expect(revenue).toMatchObject({ unit: 'money per member', estimate: 12.3333, df: 2.65 })
  expect(revenue.std_error).toBeCloseTo(14.903393, 5)
  expect(revenue.ci95.low).toBeCloseTo(-38.8413, 3)
  expect(revenue.ci95.high).toBeCloseTo(63.508, 3)
  // Visits: diff = 1 − 0.5; s²_t = 1, s²_h = 0.5; se² = 1/3 + 0.25, df = 2.8824, t = 3.25721 → [−1.9877, 2.9877].
  const visits = r.incremental.visits_per_member
  expect(visits).toMatchObject({ unit: 'visits per member', estimate: 0.5, df: 2.88 })
  expect(visits.ci95.low).toBeCloseTo(-1.9877, 3)
  expect(visits.ci95.high).toBeCloseTo(2.9877, 3)
  // Total: 55 − 12 × 3/2 = 37.00. ROI (margin 1): (37.00 − 4.11) / 4.11 = 8.0024; its interval
  // (−38.8413 × 3 − 4.11) / 4.11 = −29.351 to (63.508 × 3 − 4.11) / 4.11 = 45.356.
  expect(r.incremental.revenue_total).toBe('37.00')
  expect(r.roi).toMatchObject({ margin: '1.0000', value: 8.0024, net_gain: '32.89' })
  expect(r.roi.ci95.low).toBeCloseTo(-29.351, 2)
  expect(r.roi.ci95.high).toBeCloseTo(45.356, 2)
  // Per UTC day, revenue ÷ members: 01-05 treated 30/3, holdout 12/2 (14:00 UTC); 01-06 treated
  // (20 − 5)/3; 01-07 treated 10/3.
  expect(r.daily).toEqual([
    { day: '2026-01-05', treated: '10.00', holdout: '6.00' },
    { day: '2026-01-06', treated: '5.00', holdout: '0.00' },
    { day: '2026-01-07', treated: '3.33', holdout: '0.00' },
  ])

  // A margin of 0.25: (37.00 × 0.25 − 4.11) / 4.11 = 5.14 / 4.11 = 1.2506.
  expect((await report(id, '?margin=0.25')).roi).toMatchObject({ margin: '0.2500', value: 1.2506, net_gain: '5.14' })
  // Narrowed to 2026-01-06 onwards: t1 20 − 5 = 15, t2 10, t3 0; h1 and h2 0; the 01-05 redemption is out.
  const narrowed = await report(id, '?from=2026-01-06T00:00:00Z')
  expect(narrowed.window).toMatchObject({ from: '2026-01-06T00:00:00.000Z', narrowed: true })
  expect(narrowed.groups.treated).toMatchObject({ revenue: '25.00', visits: 2 })
  expect(narrowed.groups.holdout).toMatchObject({ revenue: '0.00', visits: 0 })
  expect(narrowed.coupons).toMatchObject({ issued: 3, redeemed: 1, discount_cost: '1.11' })
})

test('a swipe inserted twice with merges stopped counts once', async () => {
  const id = await insertCampaign(t.db.pg, { validFrom: '2026-01-10T00:00:00Z', validUntil: '2026-01-20T00:00:00Z' })
  const [treated, holdout] = [member('treated'), member('holdout')]
  await insertAssignments(t.ch, id, [treated, holdout])
  await t.ch.client.command({ query: 'SYSTEM STOP MERGES swipes' })
  const twice = { ...sale(treated.cards[0]!, '2026-01-12T10:00:00Z', '40.00'), txn: `T-TWICE-${id}` }
  await insertSwipes(t.ch, [twice])
  await insertSwipes(t.ch, [twice])
  expect(await chRows(t.ch, 'SELECT count() AS copies FROM swipes WHERE txn_id = {txn:String}', { txn: twice.txn })).toEqual([{ copies: '2' }])
  const r = await report(id)
  expect(r.groups.treated).toMatchObject({ members: 1, revenue: '40.00', visits: 1 })
  expect(r.daily.find((d: { day: string }) => d.day === '2026-01-12').treated).toBe('40.00')
  await t.ch.client.command({ query: 'SYSTEM START MERGES swipes' })
})

test('a window still open ends now; undefined figures are null with a reason', async () => {
  // Valid until April; now is 2026-03-01. Only treated members, nothing redeemed.
  const id = await insertCampaign(t.db.pg, { validFrom: '2026-02-27T00:00:00Z', validUntil: '2026-04-01T00:00:00Z' })
  const treated = makeAssigned('treated', 2)
  await insertAssignments(t.ch, id, treated)
  await insertSwipes(t.ch, [sale(treated[0]!.cards[0]!, '2026-02-28T10:00:00Z', '8.00'), sale(treated[0]!.cards[0]!, '2026-03-01T10:00:00Z', '9.00')])
  const r = await report(id)
  expect(r.window).toEqual({ from: '2026-02-27T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', narrowed: false, capped_at_now: true })
  expect(r.groups.treated).toMatchObject({ members: 2, revenue: '8.00', revenue_per_member: '4.00' })
  expect(r.groups.holdout).toEqual({ members: 0, revenue: '0.00', visits: 0, revenue_per_member: '0.00', visits_per_member: 0 })
  expect(r.incremental.revenue_per_member).toMatchObject({ estimate: null, ci95: null, reason: 'no holdout members' })
  expect(r.incremental.revenue_total).toBeNull()
  expect(r.roi).toMatchObject({ value: null, reason: expect.stringContaining('no holdout') })
  expect(r.coupons).toMatchObject({ issued: 0, redemption_rate: null, discount_cost: '0.00' })
  expect(r.daily.map((d: { day: string }) => d.day)).toEqual(['2026-02-27', '2026-02-28'])
})
