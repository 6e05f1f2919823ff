import { displayCouponCode } from './coupon-codes'
import { assignDirectly, makeConsentingMembers, makeDraft } from '../../test/helpers/campaign-launch'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/**
 * POST /v1/campaigns/:id/launch and /cancel through the API with a real worker, and members
 * reading their coupons (GET /v1/me/coupons). The assignment is written directly
 * (test/helpers/campaign-launch.ts), so the job skips its assign stage.
 */

let platform: TestPlatform
let marketer: string
let analyst: string
let admin: string

beforeAll(async () => {
  platform = await startTestPlatform({ workers: true })
  ;({ token: marketer } = await platform.createStaff(['marketer']))
  ;({ token: analyst } = await platform.createStaff(['analyst']))
  ;({ token: admin } = await platform.createStaff(['admin']))
})
afterAll(() => platform.close())

const launch = (id: number | string, token = marketer) => platform.request('POST', `/v1/campaigns/${id}/launch`, { token })
const cancel = (id: number | string, token = marketer) => platform.request('POST', `/v1/campaigns/${id}/cancel`, { token })

async function finished(id: string) {
  for (;;) {
    const job = await json(platform.request('GET', `/v1/jobs/${id}`, { token: marketer }))
    if (job.state === 'completed' || job.state === 'failed') return job
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A draft with `treated` + `holdout` consenting members assigned (holdout first in id order). */
async function assignedDraft(treated: number, holdout: number, name?: string) {
  const id = await makeDraft(platform.db.pg, { name })
  const members = await makeConsentingMembers(platform.db.pg, treated + holdout)
  const rows = members.map((memberId, i) => ({ memberId, grp: i < holdout ? ('holdout' as const) : ('treated' as const) }))
  await assignDirectly(platform.db.pg, platform.ch, id, rows, { state: 'draft' })
  return { id, holdout: members.slice(0, holdout), treated: members.slice(holdout) }
}

const stateOf = async (id: number) => (await platform.db.pg.query<{ state: string }>('SELECT state FROM campaigns WHERE id = $1', [id]))[0]!.state

test('a launch answers 202 with the job at once; asking again while it is launching answers the same job; launched, it is a conflict', async () => {
  const { id, treated } = await assignedDraft(25, 3)
  await platform.jobs.queues.offers.pause()
  const first = await launch(id)
  expect(first.status).toBe(202)
  const { job_id, status_url } = await json(first)
  expect(job_id).toMatch(/^offers\./)
  expect(status_url).toBe(`/v1/jobs/${job_id}`)
  expect(first.headers.get('location')).toBe(status_url)
  expect(await stateOf(id)).toBe('launching')

  const again = await launch(id)
  expect(again.status).toBe(202)
  expect((await json(again)).job_id).toBe(job_id)
  expect(await platform.jobs.queues.offers.getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 1, active: 0, delayed: 0 })

  await platform.jobs.queues.offers.resume()
  const job = await finished(job_id)
  expect(job).toMatchObject({ state: 'completed', queue: 'offers', data: { campaign_id: id }, result: { treated: 25, holdout: 3, issued: 25, events: 25 } })
  expect(job.progress).toMatchObject({ stage: 'launched', stages: 4 })
  expect(await stateOf(id)).toBe('launched')
  const [count] = await platform.db.pg.query<{ n: string }>('SELECT count(*) AS n FROM coupons WHERE campaign_id = $1 AND member_id = ANY ($2)', [id, treated])
  expect(Number(count!.n)).toBe(25)

  const launched = await launch(id)
  expect(launched.status).toBe(409)
  expect((await cancel(id)).status).toBe(409)
})

test('only marketers (and admins) launch; an unknown campaign is 404', async () => {
  const { id } = await assignedDraft(2, 1)
  expect((await launch(id, analyst)).status).toBe(403)
  expect((await platform.request('POST', `/v1/campaigns/${id}/launch`)).status).toBe(401)
  expect((await launch(999_999_999)).status).toBe(404)
  expect((await launch('not-a-campaign')).status).toBe(404)
  const byAdmin = await launch(id, admin)
  expect(byAdmin.status).toBe(202)
  expect((await finished((await json(byAdmin)).job_id)).state).toBe('completed')
})

test('a draft can be cancelled, and then not launched; anything but a draft cannot be cancelled', async () => {
  const { id } = await assignedDraft(2, 1)
  expect((await cancel(id, analyst)).status).toBe(403)
  expect((await cancel(999_999_999)).status).toBe(404)
  const cancelled = await cancel(id)
  expect(cancelled.status).toBe(200)
  expect(await json(cancelled)).toEqual({ id, state: 'cancelled' })
  expect((await launch(id)).status).toBe(409)
  expect((await cancel(id)).status).toBe(409)
})

test('a launch whose job is gone (failed for good) is taken over by a new job on the next request, which resumes', async () => {
  const { id } = await assignedDraft(10, 1)
  await platform.db.pg.query("UPDATE campaigns SET state = 'launching', launch_job_id = 'offers.gone-1' WHERE id = $1", [id])
  const res = await launch(id)
  expect(res.status).toBe(202)
  const { job_id } = await json(res)
  expect(job_id).not.toBe('offers.gone-1')
  expect((await finished(job_id)).result).toMatchObject({ issued: 10 })
})

describe('GET /v1/me/coupons', () => {
  test("shows a member their own coupon, with the campaign and the offer, and never another member's", async () => {
    const { id, treated, holdout } = await assignedDraft(3, 1, 'Spring dairy')
    const { job_id } = await json(launch(id))
    await finished(job_id)
    const [coupon] = await platform.db.pg.query<{ code: string; valid_from: Date; valid_until: Date }>('SELECT code, valid_from, valid_until FROM coupons WHERE member_id = $1', [treated[0]])

    const mine = await json(platform.request('GET', '/v1/me/coupons', { token: platform.memberToken(treated[0]!) }))
    expect(mine).toEqual({
      items: [
        {
          code: displayCouponCode(coupon!.code),
          campaign: { id, name: 'Spring dairy' },
          offer: { kind: 'percent', value: '10.00', max_discount: '20.00', scope: { type: 'basket' }, min_basket: '15.00' },
          valid_from: coupon!.valid_from.toISOString(),
          valid_until: coupon!.valid_until.toISOString(),
          state: 'valid',
          issued_at: expect.any(String),
          redeemed_at: null,
          discount: null,
        },
      ],
      truncated: false,
    })
    expect(mine.items[0].code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    const other = await json(platform.request('GET', '/v1/me/coupons', { token: platform.memberToken(treated[1]!) }))
    expect(other.items).toHaveLength(1)
    expect(other.items[0].code).not.toBe(mine.items[0].code)
    expect(await json(platform.request('GET', '/v1/me/coupons', { token: platform.memberToken(holdout[0]!) }))).toEqual({ items: [], truncated: false })
    expect((await platform.request('GET', '/v1/me/coupons', { token: marketer })).status).toBe(401)
  })

  test('current coupons come first; a redeemed one shows when and what it took off', async () => {
    const [member] = await makeConsentingMembers(platform.db.pg, 1)
    const past = await makeDraft(platform.db.pg, { name: 'Past', validFrom: new Date(Date.now() - 90 * 86_400_000) })
    const current = await makeDraft(platform.db.pg, { name: 'Current' })
    const redeemed = await makeDraft(platform.db.pg, { name: 'Redeemed' })
    for (const id of [past, current, redeemed]) {
      await assignDirectly(platform.db.pg, platform.ch, id, [{ memberId: member!, grp: 'treated' }], { state: 'draft' })
      await finished((await json(launch(id))).job_id)
    }
    await platform.db.pg.query(
      "UPDATE coupons SET state = 'redeemed', redeemed_at = now(), redeemed_store_id = 's1', redeemed_txn_id = 't1', discount_cents = 350 WHERE campaign_id = $1",
      [redeemed],
    )
    const { items } = await json(platform.request('GET', '/v1/me/coupons', { token: platform.memberToken(member!) }))
    expect(items.map((c: { campaign: { name: string }; state: string }) => [c.campaign.name, c.state])).toEqual([
      ['Current', 'valid'],
      ['Redeemed', 'redeemed'],
      ['Past', 'expired'],
    ])
    expect(items[1]).toMatchObject({ discount: '3.50', redeemed_at: expect.any(String) })
    expect((await platform.request('GET', '/v1/me/coupons?limit=0', { token: platform.memberToken(member!) })).status).toBe(400)
    expect(await json(platform.request('GET', '/v1/me/coupons?limit=1', { token: platform.memberToken(member!) }))).toMatchObject({ items: [{ state: 'valid' }], truncated: true })
  })
})
