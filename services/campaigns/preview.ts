import { z } from 'zod'
import type { ClickHouse } from '../platform/clickhouse'
import { formatScaled, parseScaled } from '../platform/decimal'
import { decimalSchema } from '../platform/decimal.schema'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { audienceRuns, audienceStatement, type AudienceRuns } from './audience'
import { withCandidates } from './candidates'
import type { Campaign } from './campaigns.repo'

/** POST /v1/campaigns/:id/preview: optionally, the redemption rate to assume (0 to 1). */
export const PreviewRequestSchema = z.strictObject({
  assumed_redemption_rate: decimalSchema(4, { min: '0', max: '1', numbers: true }).optional(),
})
export type PreviewRequest = z.infer<typeof PreviewRequestSchema>

/** The rate used when neither the request nor launched campaigns give one. */
const DEFAULT_RATE = '0.1000'

interface FunnelRow {
  category: string
  audience: string
  after_consent: string
  after_frequency_cap: string
  after_personalisation: string
  holdout: string
  treated: string
  treated_expected_discount: string
}

const FUNNEL_KEYS = ['audience', 'after_consent', 'after_frequency_cap', 'after_personalisation', 'holdout', 'treated'] as const
type Funnel = Record<(typeof FUNNEL_KEYS)[number], number>

/** A rate as a fraction numerator / denominator, and where it came from. */
interface Rate {
  text: string
  numerator: bigint
  denominator: bigint
  source: 'request' | 'launched_campaigns' | 'default'
}

/** The request's rate, else coupons redeemed / issued so far, else 0.10. */
async function redemptionRate(pg: Postgres, assumed: string | undefined): Promise<Rate> {
  const fixed = (text: string, source: Rate['source']): Rate => {
    const units = parseScaled(text, 4)!
    return { text: formatScaled(units, 4), numerator: units, denominator: 10_000n, source }
  }
  if (assumed !== undefined) return fixed(assumed, 'request')
  const [row] = await pg.query<{ redeemed: string; issued: string }>(sql('postgres/queries/campaigns/redemption-rate'))
  const issued = BigInt(row?.issued ?? 0)
  if (issued === 0n) return fixed(DEFAULT_RATE, 'default')
  const redeemed = BigInt(row!.redeemed)
  // Shown to 4 places; the cost uses the exact fraction.
  return { text: formatScaled(divRound(redeemed * 10_000n, issued), 4), numerator: redeemed, denominator: issued, source: 'launched_campaigns' }
}

/** a / b rounded half away from zero (a, b ≥ 0). */
const divRound = (a: bigint, b: bigint) => (2n * a + b) / (2n * b)

/**
 * What a campaign would do if launched now (docs/campaigns.md "Preview"): the members at each
 * step (audience, consent, frequency cap, personalisation, then holdout and treated), the
 * treated members' offers by category, the expected cost, and the runs it read. Everything
 * is counted in ClickHouse in one read of the audience over one candidates snapshot; the split
 * is the launch's own, so the launch assigns exactly these groups from the same data.
 */
export async function previewCampaign(deps: { pg: Postgres; ch: ClickHouse; clock: () => Date }, campaign: Campaign, request: PreviewRequest) {
  const started = process.hrtime.bigint()
  const runs = await audienceRuns(deps.pg, campaign)
  const rows = await withCandidates(deps, { at: deps.clock(), campaignId: campaign.id }, async (snapshotId) => {
    const statement = audienceStatement(sql('clickhouse/queries/campaigns/preview-funnel'), campaign, runs, snapshotId)
    const result = await deps.ch.client.query({ query: statement.query, query_params: statement.params, format: 'JSONEachRow' })
    return result.json<FunnelRow>()
  })
  const funnel = Object.fromEntries(FUNNEL_KEYS.map((key) => [key, rows.reduce((sum, row) => sum + Number(row[key]), 0)])) as Funnel
  const discountCents = rows.reduce((sum, row) => sum + parseScaled(row.treated_expected_discount, 2)!, 0n)
  const byCategory = rows
    .filter((row) => Number(row.treated) > 0)
    .map((row) => ({ category: row.category, members: Number(row.treated), expected_discount: formatScaled(parseScaled(row.treated_expected_discount, 2)!, 2) }))
    .sort((a, b) => b.members - a.members || a.category.localeCompare(b.category))
  const rate = await redemptionRate(deps.pg, request.assumed_redemption_rate)
  const costCents = divRound(discountCents * rate.numerator, rate.denominator)
  const budgetCents = campaign.budget === null ? null : parseScaled(campaign.budget, 2)!
  const capped = budgetCents !== null && budgetCents < costCents
  return {
    campaign_id: campaign.id,
    funnel,
    offers_by_category: byCategory,
    expected_cost: {
      amount: formatScaled(capped ? budgetCents : costCents, 2),
      treated_expected_discount: formatScaled(discountCents, 2),
      redemption_rate: rate.text,
      redemption_rate_source: rate.source,
      budget: campaign.budget,
      capped_by_budget: capped,
    },
    runs: runsView(runs),
    seconds: Number((process.hrtime.bigint() - started) / 1_000_000n) / 1000,
  }
}
export type Preview = Awaited<ReturnType<typeof previewCampaign>>

const runsView = (runs: AudienceRuns) => ({ profiles: runs.profiles, rfm: runs.rfm, clv: runs.clv })
