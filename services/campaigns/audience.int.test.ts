import { useTestDatabases, chRows } from '../../test/helpers/databases'
import { giveCoupons, insertProfiles, makeCampaign, makeCandidate, makeCandidates, publishRun } from '../../test/helpers/campaigns'
import { formatScaled } from '../platform/decimal'
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

  test('each audience filter keeps exactly the members meeting it', async () => {
    const { pg } = dbs.db
    const profiles = await publishRun(pg, ['profiles'])
    const rfm = await publishRun(pg, ['rfm'])
    const clv = await publishRun(pg, ['clv'])
    const gold = await makeCandidate(pg, { tier: 'gold' })
    const lapsed = await makeCandidate(pg)
    const big = await makeCandidate(pg)
    await insertProfiles(dbs.ch, profiles, [
      { member_id: gold, visits: 2, spend: '80.00', days_since_last_visit: 5, top_categories: [['baby', '50.00']] },
      { member_id: lapsed, visits: 6, spend: '300.00', days_since_last_visit: 60, top_categories: [['wine', '90.00'], ['baby', '40.00']] },
      { member_id: big, visits: 20, spend: '2000.00', days_since_last_visit: 1, top_categories: [['wine', '900.00']] },
    ])
    await dbs.ch.client.insert({
      table: 'rfm_scores',
      format: 'JSONEachRow',
      values: [
        { run_id: rfm, member_id: gold, segment: 'champions' },
        { run_id: rfm, member_id: lapsed, segment: 'at_risk' },
        { run_id: rfm, member_id: big, segment: 'champions' },
      ],
    })
    await dbs.ch.client.insert({
      table: 'clv_scores',
      format: 'JSONEachRow',
      values: [
        { run_id: clv, member_id: gold, clv: '100.00', p_alive: 0.9, churn_band: 'low' },
        { run_id: clv, member_id: lapsed, clv: '20.00', p_alive: 0.2, churn_band: 'high' },
        { run_id: clv, member_id: big, clv: '900.00', p_alive: 0.95, churn_band: 'low' },
      ],
    })
    const kept = async (audience: Record<string, unknown>) => {
      const campaign = await makeCampaign(pg, { audience })
      await assignAudience(deps(), campaign)
      return (await assigned(campaign.id)).map((r) => r.member_id)
    }
    const sorted = (...ids: string[]) => ids.sort()

    expect(await kept({})).toEqual(sorted(gold, lapsed, big))
    expect(await kept({ tiers: ['gold'] })).toEqual([gold])
    expect(await kept({ segments: ['champions'] })).toEqual(sorted(gold, big))
    expect(await kept({ buys_categories: ['baby'] })).toEqual(sorted(gold, lapsed))
    expect(await kept({ buys_categories: ['baby', 'wine'] })).toEqual([lapsed])
    expect(await kept({ min_days_since_visit: 30 })).toEqual([lapsed])
    expect(await kept({ max_days_since_visit: 5 })).toEqual(sorted(gold, big))
    expect(await kept({ min_spend: '300.00', max_spend: '1000.00' })).toEqual([lapsed])
    expect(await kept({ min_visits: 6 })).toEqual(sorted(lapsed, big))
    expect(await kept({ min_clv: '50', max_clv: '500' })).toEqual([gold])
    expect(await kept({ churn_band: 'high' })).toEqual([lapsed])
    expect(await kept({ min_p_alive: '0.9', segments: ['champions'], tiers: ['bronze'] })).toEqual([big])
    const campaign = await makeCampaign(pg, { audience: { segments: ['champions'], min_clv: '1' } })
    expect((await preview(campaign)).runs).toEqual({
      profiles: { id: profiles, as_of: '2026-06-01T00:00:00.000Z' },
      rfm: { id: rfm, as_of: '2026-06-01T00:00:00.000Z' },
      clv: { id: clv, as_of: '2026-06-01T00:00:00.000Z' },
    })
  })

  test('the personal category and the expected discount follow the offer, by hand', async () => {
    const { pg } = dbs.db
    const run = await publishRun(pg, ['profiles'])
    const a = await makeCandidate(pg)
    const b = await makeCandidate(pg)
    await insertProfiles(dbs.ch, run, [
      // 3 visits: baby 100.00 / 3 = 33.33 a visit; wine 10.00 / 3 = 3.33; SKUs 7.01 + 2.00 over 3 = 3.00 (3.003).
      { member_id: a, visits: 3, avg_basket: '41.25', top_categories: [['baby', '100.00'], ['wine', '10.00']], top_skus: [['S1', '7.01'], ['S2', '2.00'], ['S3', '50.00']], lapsed_category: 'wine' },
      { member_id: b, visits: 2, avg_basket: '12.35', top_categories: [], lapsed_category: '' },
    ])
    const rows = async (overrides: Record<string, unknown>) => {
      const campaign = await makeCampaign(pg, overrides)
      await assignAudience(deps(), campaign)
      return (await assigned(campaign.id)).map(({ member_id, category, expected_discount }) => ({ member_id, category, expected_discount }))
    }
    const basket = { type: 'basket' }
    // Percent of the basket, half away from zero: 10 % of 41.25 = 4.125 → 4.13; 10 % of 12.35 = 1.235 → 1.24.
    expect(await rows({ personalisation: 'none', offer: { kind: 'percent', value: '10', scope: basket } })).toEqual(
      [{ member_id: a, category: '', expected_discount: '4.13' }, { member_id: b, category: '', expected_discount: '1.24' }].sort((x, y) => x.member_id.localeCompare(y.member_id)),
    )
    // Capped at max_discount; an amount capped at the spend.
    expect((await rows({ personalisation: 'none', offer: { kind: 'percent', value: '50', max_discount: '15.00', scope: basket } })).find((r) => r.member_id === a)).toMatchObject({ expected_discount: '15.00' })
    expect((await rows({ personalisation: 'none', offer: { kind: 'amount', value: '20', scope: basket } })).find((r) => r.member_id === b)).toMatchObject({ expected_discount: '12.35' })
    // top_category: b has none and is dropped; a's is baby, 33.33 a visit, 10 % = 3.33.
    expect(await rows({})).toEqual([{ member_id: a, category: 'baby', expected_discount: '3.33' }])
    // lapsed_category: wine, 3.33 a visit; 50 % = 1.665 → 1.67.
    expect(await rows({ personalisation: 'lapsed_category', offer: { kind: 'percent', value: '50', scope: { type: 'category' } } })).toEqual([
      { member_id: a, category: 'wine', expected_discount: '1.67' },
    ])
    // A fixed category nobody profiled as top: everyone eligible, spend 0.
    expect((await rows({ personalisation: 'none', offer: { kind: 'amount', value: '5', scope: { type: 'category', category: 'pets' } } })).map((r) => r.expected_discount)).toEqual(['0.00', '0.00'])
    // SKUs: S1 + S2 = 9.01 over 3 visits = 3.00; 100 % of it.
    expect((await rows({ personalisation: 'none', offer: { kind: 'percent', value: '100', scope: { type: 'skus', skus: ['S1', 'S2'] } } })).find((r) => r.member_id === a)).toMatchObject({ expected_discount: '3.00' })
  })

  test('the holdout is close to the share asked for, and identical across previews and the assignment', async () => {
    const { pg } = dbs.db
    const run = await publishRun(pg, ['profiles'])
    const ids = await makeCandidates(pg, 4000)
    await insertProfiles(dbs.ch, run, ids.map((member_id) => ({ member_id, top_categories: [['baby', '40.00']] })))
    const campaign = await makeCampaign(pg, { holdout_share: 0.2, audience: { min_visits: 1 } })

    const first = await preview(campaign, { assumed_redemption_rate: '0.25' })
    const second = await preview(campaign)
    const assignment = await assignAudience(deps(), campaign)

    const eligible = first.funnel.after_personalisation
    expect(eligible).toBeGreaterThanOrEqual(4000)
    // 3 standard deviations of a binomial(n, 0.2).
    expect(Math.abs(first.funnel.holdout - 0.2 * eligible)).toBeLessThan(3 * Math.sqrt(eligible * 0.2 * 0.8))
    expect(second.funnel).toEqual(first.funnel)
    expect({ treated: assignment.treated, holdout: assignment.holdout }).toEqual({ treated: first.funnel.treated, holdout: first.funnel.holdout })
    const rows = await assigned(campaign.id)
    const discount = rows.filter((r) => r.grp === 'treated').length
    expect(discount).toBe(first.funnel.treated)
    // Each treated member: 10 % of 40.00 / 4 visits = 1.00; cost at 25 % of the sum.
    expect(first.expected_cost).toMatchObject({
      treated_expected_discount: `${first.funnel.treated}.00`,
      redemption_rate: '0.2500',
      redemption_rate_source: 'request',
      amount: formatScaled(BigInt(first.funnel.treated) * 25n, 2),
    })
    // Without a rate asked for: the launched campaigns' (the earlier tests' coupons, none redeemed).
    expect(second.expected_cost).toMatchObject({ redemption_rate: '0.0000', redemption_rate_source: 'launched_campaigns', amount: '0.00' })
    // A relaunch redoes the assignment: the same rows, no duplicates.
    await assignAudience(deps(), campaign)
    expect(await assigned(campaign.id)).toEqual(rows)
  })

  test('the cards each assigned member holds now are copied, and nobody else\'s', async () => {
    const { pg } = dbs.db
    const run = await publishRun(pg, ['profiles'])
    const a = await makeCandidate(pg, { cards: ['C-A1', 'C-A2'] })
    const out = await makeCandidate(pg, { consent: false, cards: ['C-OUT'] })
    await insertProfiles(dbs.ch, run, [a, out].map((member_id) => ({ member_id, top_categories: [['baby', '40.00']] })))
    const campaign = await makeCampaign(pg)
    await assignAudience(deps(), campaign)
    const cards = await chRows(dbs.ch, 'SELECT card_number, member_id FROM campaign_cards FINAL WHERE campaign_id = {id:UInt64} ORDER BY card_number', { id: campaign.id })
    expect(cards).toEqual([{ card_number: 'C-A1', member_id: a }, { card_number: 'C-A2', member_id: a }])
    // The staging partitions are gone.
    expect(await chRows(dbs.ch, 'SELECT count() AS n FROM campaign_card_map')).toEqual([{ n: '0' }])
    expect(await chRows(dbs.ch, 'SELECT count() AS n FROM campaign_candidates')).toEqual([{ n: '0' }])
  })
})
