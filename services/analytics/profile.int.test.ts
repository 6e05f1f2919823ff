import { insertSwipes, mapCards } from '../../test/helpers/analytics'
import { makeCardNumber } from '../../test/helpers/factories'
import { makeMember, type TestMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import type { AnalyticsKind } from './run-analytics'
import { runAnalytics } from './run-analytics'

/** GET /v1/members/:id/profile through HTTP, over real runs (docs/segments.md "Profile" and "API"). */
let platform: TestPlatform
let marketer: string
let member: TestMember
const NAME = 'Ada Profile-Lovelace'

const get = (path: string, token = marketer) => platform.request('GET', path, { token })
const runAt = async (asOf: string, kinds: AnalyticsKind[]) =>
  (
    await runAnalytics(
      { pg: platform.db.pg, ch: platform.ch, logger: platform.logger, clock: () => new Date(asOf) },
      { kinds, asOf: new Date(asOf), profileWindowDays: 365, rfmWindowDays: 365 },
      { profileKeepRuns: 2, rfmKeepDays: 730 },
    )
  ).run_id

beforeAll(async () => {
  platform = await startTestPlatform()
  marketer = (await platform.createStaff(['marketer'])).token
  member = await makeMember(platform.db.pg, { name: NAME })
  await insertSwipes(platform.ch, [
    { card: member.cardNumber, at: '2026-01-10T10:00:00+01:00', lines: [{ sku: 'A', category: 'Dairy', quantity: '1', unit_price: '2.00' }] },
    { card: member.cardNumber, at: '2026-01-12T18:00:00+01:00', lines: [{ sku: 'B', category: 'Bakery', quantity: '2', unit_price: '1.50' }] },
  ])
})
afterAll(() => platform.close())

test('before a profiles run is published (an RFM-only run does not count): 404 saying so', async () => {
  await runAt('2026-01-20T00:00:00Z', ['rfm'])
  const res = await get(`/v1/members/${member.memberId}/profile`)
  expect(res.status).toBe(404)
  expect((await json(res)).detail).toBe('no profiles run has been published yet')
})

describe('with profiles runs', () => {
  let newest: number
  beforeAll(async () => {
    await runAt('2026-02-01T00:00:00Z', ['profiles', 'rfm'])
    newest = await runAt('2026-03-01T00:00:00Z', ['profiles'])
  })

  test("the member's profile from the newest run: amounts with 2 decimals, quantities with 3, ISO times, the run's as_of and window", async () => {
    const res = await get(`/v1/members/${member.memberId}/profile`)
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({
      member_id: member.memberId,
      run: { id: newest, as_of: '2026-03-01T00:00:00.000Z', window_days: 365, finished_at: '2026-03-01T00:00:00.000Z' },
      visits: 2,
      sales: '5.00',
      returns: '0.00',
      spend: '5.00',
      avg_basket: '2.50',
      first_visit: '2026-01-10T09:00:00.000Z',
      last_visit: '2026-01-12T17:00:00.000Z',
      days_since_last_visit: 47, // 2026-01-12 17:00 → 2026-03-01 00:00 UTC: 47 whole days
      median_days_between_visits: 2,
      preferred_store_id: 'store-1',
      weekday_visits: [1, 0, 0, 0, 0, 1, 0], // a Monday and a Saturday, local time
      hour_visits: Array.from({ length: 24 }, (_, h) => (h === 10 || h === 18 ? 1 : 0)),
      top_categories: [
        { category: 'Bakery', spend: '3.00', share: 0.6, lift: 1 },
        { category: 'Dairy', spend: '2.00', share: 0.4, lift: 1 },
      ],
      top_skus: [
        { sku: 'B', spend: '3.00', quantity: '2.000', visits: 1 },
        { sku: 'A', spend: '2.00', quantity: '1.000', visits: 1 },
      ],
      coupon_visits: 0,
      coupon_rate: 0,
      recent_spend: '5.00',
      previous_spend: '0.00',
      recent_visits: 2,
      previous_visits: 0,
      trend: null,
      lapsed_category: '', // both visits are in the recent 90 days: nothing earlier to have stopped buying
    })
  })

  test('404s: an unknown member, a member with no profile in the run, and a merged member (naming whom it was merged into)', async () => {
    const unknown = await get('/v1/members/mem_doesnotexist/profile')
    expect([unknown.status, (await json(unknown)).detail]).toEqual([404, 'no member mem_doesnotexist'])

    const idle = await mapCards(platform.db.pg, [makeCardNumber()])
    const noProfile = await get(`/v1/members/${idle}/profile`)
    expect(noProfile.status).toBe(404)
    expect((await json(noProfile)).detail).toBe(`member ${idle} has no profile in run ${newest}: no visit in its 365 days up to 2026-03-01T00:00:00.000Z`)

    const merged = await mapCards(platform.db.pg, [makeCardNumber()])
    await platform.db.pg.query("UPDATE members SET status = 'merged', merged_into = $2 WHERE id = $1", [merged, member.memberId])
    const res = await get(`/v1/members/${merged}/profile`)
    expect(res.status).toBe(404)
    expect((await json(res)).detail).toContain(`was merged into ${member.memberId}`)
  })

  test('query parameters are validated: an unknown one is a 400 naming it', async () => {
    const res = await get(`/v1/members/${member.memberId}/profile?run_id=1`)
    expect(res.status).toBe(400)
    expect((await json(res)).errors).toEqual([{ path: '$.run_id', message: 'is not a field of this object' }])
  })

  test('admin, marketer and support read profiles; an analyst is refused (403), as are a member token and a store key (401); no personal data', async () => {
    const path = `/v1/members/${member.memberId}/profile`
    for (const roles of [['admin'], ['marketer'], ['support']] as const) {
      const res = await get(path, (await platform.createStaff([...roles])).token)
      expect([roles[0], res.status]).toEqual([roles[0], 200])
      const body = await res.text()
      expect(body).not.toContain(NAME)
      expect(body).not.toContain(member.email!)
    }
    expect((await get(path, (await platform.createStaff(['analyst'])).token)).status).toBe(403)
    expect((await get(path, platform.memberToken(member.memberId))).status).toBe(401)
    expect((await get(path, (await platform.createStore()).key)).status).toBe(401)
    expect((await get(path, '')).status).toBe(401)
  })
})
