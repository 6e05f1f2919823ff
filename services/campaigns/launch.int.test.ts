import * as codes from './coupon-codes'
import { canonicalCouponCode } from './coupon-codes'
import { launchCampaign, type LaunchDeps } from './launch'
import { createLogger } from '../platform/logger'
import { chRows, useTestDatabases } from '../../test/helpers/databases'
import { assignDirectly, makeConsentingMembers, makeDraft, withdrawOffers, type TestAssignment } from '../../test/helpers/campaign-launch'

/**
 * The launch's issue and events stages against real Postgres and ClickHouse, the assignment
 * written directly (test/helpers/campaign-launch.ts). The route and the worker:
 * launch.router.int.test.ts.
 */

const dbs = useTestDatabases()
const logger = createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' })
const deps = (overrides: Partial<LaunchDeps> = {}): LaunchDeps => ({
  pg: dbs.db.pg,
  ch: dbs.ch,
  logger,
  clock: () => new Date(),
  assign: () => Promise.reject(new Error('the assignment was written by the test')),
  chunkSize: 50,
  ...overrides,
})

/** `treated` and `holdout` members, each treated one with a category of its own. */
async function assigned(campaignId: number, treated: number, holdout: number) {
  const ids = await makeConsentingMembers(dbs.db.pg, treated + holdout)
  // Interleaved (every step-th member is held out), so chunks in member order mix both groups.
  const step = Math.floor((treated + holdout) / holdout)
  const rows: TestAssignment[] = ids.map((memberId, i) => ({
    memberId,
    grp: i % step === 0 && i / step < holdout ? 'holdout' : 'treated',
    category: `cat-${i % 7}`,
  }))
  await assignDirectly(dbs.db.pg, dbs.ch, campaignId, rows)
  return { treated: rows.filter((r) => r.grp === 'treated').map((r) => r.memberId), holdout: rows.filter((r) => r.grp === 'holdout').map((r) => r.memberId), rows }
}

interface CouponRow {
  code: string
  member_id: string
  category: string | null
  skus: string[] | null
  kind: string
  value: string
  max_discount_cents: string | null
  min_basket_cents: string
  valid_from: Date
  valid_until: Date
  issued_at: Date
  state: string
}
const couponsOf = (campaignId: number) => dbs.db.pg.query<CouponRow>('SELECT * FROM coupons WHERE campaign_id = $1 ORDER BY member_id', [campaignId])

async function issuedEvents(campaignId: number) {
  return chRows<{ code: string; member_id: string }>(dbs.ch, "SELECT code, member_id FROM coupon_events FINAL WHERE campaign_id = {c:UInt64} AND event = 'issued' ORDER BY member_id", { c: campaignId })
}

test('every treated member gets exactly one unique, valid code with the offer\'s terms; holdout members get none', async () => {
  const id = await makeDraft(dbs.db.pg, { personalisation: 'top_category', offer: { kind: 'percent', value: '15.00', max_discount: '12.50', scope: { type: 'category' }, min_basket: '20.00' } })
  const { treated, holdout, rows } = await assigned(id, 180, 20)
  const before = new Date()
  const result = await launchCampaign(deps(), id)
  const coupons = await couponsOf(id)

  expect(result).toMatchObject({ campaign_id: id, treated: 180, holdout: 20, issued: 180, not_issued: 0, events: 180 })
  expect(coupons.map((c) => c.member_id)).toEqual(treated)
  expect(coupons.filter((c) => holdout.includes(c.member_id))).toEqual([])
  expect(new Set(coupons.map((c) => c.code)).size).toBe(180)
  for (const c of coupons) expect(canonicalCouponCode(c.code)).toBe(c.code)
  const [campaign] = await dbs.db.pg.query('SELECT state, launched_at, valid_from, valid_until, issued, issued_through FROM campaigns WHERE id = $1', [id])
  expect(campaign).toMatchObject({ state: 'launched', issued: 180, issued_through: rows.at(-1)!.memberId })
  const category = new Map(rows.map((r) => [r.memberId, r.category]))
  for (const c of coupons) {
    expect(c).toMatchObject({ kind: 'percent', value: '15.00', max_discount_cents: '1250', min_basket_cents: '2000', skus: null, state: 'issued', category: category.get(c.member_id) })
    expect([c.valid_from, c.valid_until]).toEqual([campaign!.valid_from, campaign!.valid_until])
    // issued_at is what the frequency cap of later campaigns counts: the time of issuing.
    expect(c.issued_at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000)
    expect(c.issued_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000)
  }
  // The issued events in ClickHouse are the coupons in Postgres, one for one.
  expect(await issuedEvents(id)).toEqual(coupons.map((c) => ({ code: c.code, member_id: c.member_id })))
})

test('an offer that is not personalised keeps its own scope on every coupon', async () => {
  const id = await makeDraft(dbs.db.pg, { offer: { kind: 'amount', value: '5.00', scope: { type: 'skus', skus: ['SKU-1', 'SKU-2'] }, min_basket: '0.00' } })
  await assigned(id, 30, 5)
  await launchCampaign(deps(), id)
  const coupons = await couponsOf(id)
  expect(coupons).toHaveLength(30)
  for (const c of coupons) expect(c).toMatchObject({ kind: 'amount', value: '5.00', max_discount_cents: null, category: null, skus: ['SKU-1', 'SKU-2'], min_basket_cents: '0' })
})

test('a crash after a chunk, then a relaunch, issues each coupon once; members who withdrew consent meanwhile get none', async () => {
  const id = await makeDraft(dbs.db.pg)
  const { treated } = await assigned(id, 270, 30)
  // Withdrawn between assignment and issuing: one in the first chunk, one in a chunk done
  // before the crash, one after it.
  const withdrawn = [treated[3]!, treated[70]!, treated[200]!]
  for (const m of withdrawn) await withdrawOffers(dbs.db.pg, m)

  const crash = deps({ afterChunk: async (k) => { if (k === 2) throw new Error('crash after chunk 2') } })
  await expect(launchCampaign(crash, id)).rejects.toThrow('crash after chunk 2')
  const [midway] = await dbs.db.pg.query<{ state: string; issued: number; n: string }>(
    'SELECT state, issued, (SELECT count(*) FROM coupons WHERE campaign_id = $1) AS n FROM campaigns WHERE id = $1',
    [id],
  )
  expect(midway).toEqual({ state: 'launching', issued: 98, n: '98' }) // 2 chunks of 50, two of them withdrawn

  // A relaunch (a BullMQ retry or a new job) resumes after issued_through.
  const result = await launchCampaign(deps(), id)
  const coupons = await couponsOf(id)
  expect(result).toMatchObject({ treated: 270, issued: 267, not_issued: 3, events: 267 })
  expect(coupons.map((c) => c.member_id)).toEqual(treated.filter((m) => !withdrawn.includes(m)))
  expect(new Set(coupons.map((c) => c.code)).size).toBe(267)
  expect((await issuedEvents(id)).length).toBe(267)

  // Launched: a further run changes nothing.
  await launchCampaign(deps(), id)
  expect((await couponsOf(id)).length).toBe(267)
})

test('a relaunch after a crash before the campaign was marked launched copies the events again, and they collapse', async () => {
  const id = await makeDraft(dbs.db.pg)
  await assigned(id, 40, 4)
  await launchCampaign(deps(), id)
  // As if the job had died between the events copy and marking the campaign launched.
  await dbs.db.pg.query("UPDATE campaigns SET state = 'launching', launched_at = NULL WHERE id = $1", [id])
  expect(await launchCampaign(deps(), id)).toMatchObject({ issued: 40, events: 40 })
  expect((await issuedEvents(id)).length).toBe(40)
  expect((await couponsOf(id)).length).toBe(40)
})

test('a code that is already taken fails its chunk, which is retried with new codes', async () => {
  const taken = await makeDraft(dbs.db.pg)
  await assigned(taken, 1, 1)
  await launchCampaign(deps(), taken)
  const [existing] = await couponsOf(taken)

  const id = await makeDraft(dbs.db.pg)
  const { treated } = await assigned(id, 20, 2)
  const real = codes.newCouponCodes
  const spy = jest.spyOn(codes, 'newCouponCodes').mockImplementationOnce((n) => [existing!.code, ...real(n - 1)])
  let calls = 0
  try {
    await launchCampaign(deps(), id)
    calls = spy.mock.calls.length
  } finally {
    spy.mockRestore()
  }
  const coupons = await couponsOf(id)
  expect(coupons.map((c) => c.member_id)).toEqual(treated)
  expect(coupons.map((c) => c.code)).not.toContain(existing!.code)
  expect(calls).toBe(2) // the chunk, then its retry
})

test('a campaign that is a draft or cancelled is not launched by a stray job', async () => {
  const id = await makeDraft(dbs.db.pg)
  await expect(launchCampaign(deps(), id)).rejects.toThrow('not launching')
  await expect(launchCampaign(deps(), 999_999)).rejects.toThrow('does not exist')
})
