import { formatScaled } from '../platform/decimal'
import { insertSwipes } from '../../test/helpers/analytics'
import { insertAssignments, insertCampaign, makeAssigned, normal } from '../../test/helpers/campaign-report'
import { seededRandom } from '../platform/seeded-random'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/**
 * The report's interval on synthetic campaigns with a known true effect: 2,000 treated and 500
 * holdout members, each with one sale in the window of 20.00 + effect (treated only) + noise
 * (sd 6.00), from a seeded generator, so every run sees the same members.
 */

let t: TestPlatform
let token: string

beforeAll(async () => {
  t = await startTestPlatform({ clock: () => new Date('2026-03-01T00:00:00Z') })
  token = (await t.createStaff(['marketer'])).token
})
afterAll(() => t.close())

/** A launched campaign over February with per-member revenue drawn as above; returns its id and the sample's mean difference. */
async function syntheticCampaign(seed: number, effectCents: number) {
  const id = await insertCampaign(t.db.pg, { validFrom: '2026-02-01T00:00:00Z', validUntil: '2026-02-28T00:00:00Z' })
  const members = [...makeAssigned('treated', 2000), ...makeAssigned('holdout', 500)]
  await insertAssignments(t.ch, id, members)
  const uniform = seededRandom(seed)
  const sums = { treated: 0, holdout: 0 }
  const swipes = members.map((m, i) => {
    // Cents, at least 0.50 (20.00 − 3.25 sd: the floor moves the mean by well under a cent).
    const cents = Math.max(50, Math.round(2000 + (m.grp === 'treated' ? effectCents : 0) + 600 * normal(uniform)))
    sums[m.grp] += cents
    const day = String(1 + (i % 27)).padStart(2, '0')
    return { card: m.cards[0]!, at: `2026-02-${day}T12:00:00Z`, lines: [{ sku: 'X', category: 'Grocery', quantity: '1', unit_price: formatScaled(BigInt(cents), 2) }] }
  })
  await insertSwipes(t.ch, swipes)
  return { id, sampleDiff: (sums.treated / 2000 - sums.holdout / 500) / 100 }
}

const reportOf = (id: string) => json(t.request('GET', `/v1/campaigns/${id}/report`, { token }))

test('a true effect of +3.00 per member: the 95% interval contains 3.00 and excludes 0', async () => {
  const { id, sampleDiff } = await syntheticCampaign(20260301, 300)
  const r = await reportOf(id)
  expect(r.groups.treated.members).toBe(2000)
  expect(r.groups.holdout.members).toBe(500)
  const inc = r.incremental.revenue_per_member
  expect(inc.estimate).toBeCloseTo(sampleDiff, 4)
  // se ≈ √(36/2000 + 36/500) = 0.30; Welch's df near 760 for these sizes and equal spreads.
  expect(inc.std_error).toBeGreaterThan(0.25)
  expect(inc.std_error).toBeLessThan(0.35)
  expect(inc.df).toBeGreaterThan(600)
  expect(inc.ci95.low).toBeLessThan(3)
  expect(inc.ci95.high).toBeGreaterThan(3)
  expect(inc.ci95.low).toBeGreaterThan(0)
  // Every treated member made one visit, as did every holdout member: no visit effect, a point interval.
  expect(r.incremental.visits_per_member).toMatchObject({ estimate: 0, ci95: { low: 0, high: 0 } })
})

test('no true effect: the 95% interval contains 0', async () => {
  const { id, sampleDiff } = await syntheticCampaign(777, 0)
  const inc = (await reportOf(id)).incremental.revenue_per_member
  expect(inc.estimate).toBeCloseTo(sampleDiff, 4)
  expect(inc.ci95.low).toBeLessThan(0)
  expect(inc.ci95.high).toBeGreaterThan(0)
})
