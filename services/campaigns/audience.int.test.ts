import { useTestDatabases, chRows } from '../../test/helpers/databases'
import { giveCoupons, insertProfiles, makeCampaign, makeCandidate, publishRun } from '../../test/helpers/campaigns'
import { assignAudience } from './assign'
import { previewCampaign } from './preview'
import type { Campaign } from './campaigns.repo'

/**
 * The audience, by hand: small sets of members whose profiles, consent, tier and recent offers
 * are written straight into the databases, and the members each step must keep.
 */
const dbs = useTestDatabases()
const NOW = new Date('2026-06-02T12:00:00Z')
const deps = () => ({ pg: dbs.db.pg, ch: dbs.ch, clock: () => NOW })

const preview = (campaign: Campaign, request = {}) => previewCampaign(deps(), campaign, request)
const assigned = (campaignId: number) =>
  chRows<{ member_id: string; grp: string; category: string; expected_discount: string }>(
    dbs.ch,
    'SELECT member_id, grp, category, toDecimalString(expected_discount, 2) AS expected_discount FROM campaign_assignments FINAL WHERE campaign_id = {id:UInt64} ORDER BY member_id',
    { id: campaignId },
  )

describe('campaign audience', () => {
  test('without a published profiles run a preview is refused with 409', async () => {
    const campaign = await makeCampaign(dbs.db.pg)
    await expect(preview(campaign)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('no profiles run') })
  })

  test('consent withdrawn, no consent, blocked, frequency cap and no category each take a member out, in that order', async () => {
    const { pg } = dbs.db
    const run = await publishRun(pg, ['profiles'])
    const kept = await makeCandidate(pg)
    const withdrawn = await makeCandidate(pg, { consent: false })
    const never = await makeCandidate(pg, { consent: null })
    const blocked = await makeCandidate(pg, { status: 'blocked' })
    const capped = await makeCandidate(pg)
    const underCap = await makeCandidate(pg)
    const noCategory = await makeCandidate(pg)
    await giveCoupons(pg, capped, 3, '2026-05-20T00:00:00Z')
    // Two in the 30 days, one before them: under the cap of 3.
    await giveCoupons(pg, underCap, 2, '2026-05-20T00:00:00Z')
    await giveCoupons(pg, underCap, 1, '2026-04-01T00:00:00Z')
    const baby: [string, string][] = [['baby', '120.00'], ['wine', '60.00']]
    await insertProfiles(dbs.ch, run, [
      ...[kept, withdrawn, never, blocked, capped, underCap].map((member_id) => ({ member_id, top_categories: baby })),
      { member_id: noCategory },
    ])
    const campaign = await makeCampaign(pg)

    const result = await preview(campaign)

    expect(result.funnel).toEqual({ audience: 7, after_consent: 4, after_frequency_cap: 3, after_personalisation: 2, holdout: 0, treated: 2 })
    // 10 % of baby's 120.00 over 4 visits (30.00 a visit): 3.00 each.
    expect(result.offers_by_category).toEqual([{ category: 'baby', members: 2, expected_discount: '6.00' }])
    expect(result.runs).toEqual({ profiles: { id: run, as_of: '2026-06-01T00:00:00.000Z' }, rfm: null, clv: null })
    const assignment = await assignAudience(deps(), campaign)
    expect(assignment).toEqual({ treated: 2, holdout: 0, profileRunId: run, rfmRunId: null, clvRunId: null })
    expect((await assigned(campaign.id)).map((r) => r.member_id)).toEqual([kept, underCap].sort())
  })
})
