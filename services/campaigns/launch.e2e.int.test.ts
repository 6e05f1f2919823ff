import { runAnalytics } from '../analytics/run-analytics'
import { insertSwipes } from '../../test/helpers/analytics'
import { makeCardNumber } from '../../test/helpers/factories'
import { campaignInput, makeCandidate } from '../../test/helpers/campaigns'
import { chRows } from '../../test/helpers/databases'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/**
 * A campaign from end to end through the API, nothing written by hand past the swipes: profiles
 * computed by an analytics run, the campaign created (POST /v1/campaigns), launched by the
 * worker with the real assignAudience, coupons read by members.
 */

let platform: TestPlatform
let marketer: string

beforeAll(async () => {
  platform = await startTestPlatform({ workers: true })
  ;({ token: marketer } = await platform.createStaff(['marketer']))
})
afterAll(() => platform.close())

async function finished(id: string) {
  for (;;) {
    const job = await json(platform.request('GET', `/v1/jobs/${id}`, { token: marketer }))
    if (job.state === 'completed' || job.state === 'failed') return job
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const DAY = 86_400_000
const line = (category: string, price: string) => ({ sku: `SKU-${category}`, category, quantity: '1', unit_price: price })

async function launchThrough(body: Record<string, unknown>) {
  const created = await json(platform.request('POST', '/v1/campaigns', { token: marketer, body }))
  expect(created.id).toEqual(expect.any(Number))
  const res = await platform.request('POST', `/v1/campaigns/${created.id}/launch`, { token: marketer })
  expect(res.status).toBe(202)
  const job = await finished((await json(res)).job_id)
  expect(job.state).toBe('completed')
  return { id: created.id as number, result: job.result }
}

test('profiles, a personalised campaign, its launch and the coupons members see; a second campaign respects the first one\'s coupons in its frequency cap', async () => {
  const now = Date.now()
  const members: { id: string; card: string; top: string }[] = []
  for (let i = 0; i < 12; i++) {
    const card = makeCardNumber()
    const top = i % 2 === 0 ? 'Dairy' : 'Bakery'
    members.push({ id: await makeCandidate(platform.db.pg, { cards: [card] }), card, top })
    const other = top === 'Dairy' ? 'Bakery' : 'Dairy'
    await insertSwipes(platform.ch, [
      { card, at: new Date(now - 20 * DAY).toISOString(), lines: [line(top, '30.00'), line(other, '5.00')] },
      { card, at: new Date(now - 5 * DAY).toISOString(), lines: [line(top, '25.00')] },
    ])
  }
  await runAnalytics(
    { pg: platform.db.pg, ch: platform.ch, logger: platform.logger, clock: () => new Date() },
    { kinds: ['profiles'], asOf: new Date(now), profileWindowDays: 365, rfmWindowDays: 365 },
    { profileKeepRuns: 2, rfmKeepDays: 730 },
  )
  const window = { valid_from: new Date(now - DAY).toISOString(), valid_until: new Date(now + 30 * DAY).toISOString() }

  const first = await launchThrough(campaignInput({ name: 'Your favourite aisle', holdout_share: 0.25, ...window }))
  const coupons = await platform.db.pg.query<{ member_id: string; category: string; code: string }>('SELECT member_id, category, code FROM coupons WHERE campaign_id = $1', [first.id])
  const assigned = await chRows<{ member_id: string; grp: string }>(platform.ch, 'SELECT member_id, toString(grp) AS grp FROM campaign_assignments FINAL WHERE campaign_id = {c:UInt64}', { c: first.id })
  const treated = assigned.filter((a) => a.grp === 'treated').map((a) => a.member_id).sort()
  expect(assigned).toHaveLength(12)
  expect(first.result).toMatchObject({ treated: treated.length, holdout: 12 - treated.length, issued: treated.length, events: treated.length })
  expect(coupons.map((c) => c.member_id).sort()).toEqual(treated)
  for (const c of coupons) expect(c.category).toBe(members.find((m) => m.id === c.member_id)!.top)

  const someone = coupons[0]!
  const mine = await json(platform.request('GET', '/v1/me/coupons', { token: platform.memberToken(someone.member_id) }))
  expect(mine.items).toEqual([expect.objectContaining({ campaign: { id: first.id, name: 'Your favourite aisle' }, offer: expect.objectContaining({ scope: { type: 'category', category: members.find((m) => m.id === someone.member_id)!.top } }), state: 'valid' })])

  // Members who received the first campaign's coupon a moment ago are at a cap of 1.
  const second = await launchThrough(campaignInput({ name: 'Second', holdout_share: 0, frequency_cap: 1, ...window }))
  expect(second.result).toMatchObject({ treated: 12 - treated.length, issued: 12 - treated.length })
  const again = await platform.db.pg.query<{ member_id: string }>('SELECT member_id FROM coupons WHERE campaign_id = $1', [second.id])
  expect(again.map((c) => c.member_id).filter((m) => treated.includes(m))).toEqual([])
})
