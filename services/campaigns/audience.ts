import { clvFilterCondition, clvFilterOf, withCondition } from '../analytics/clv-filters'
import { parseScaled } from '../platform/decimal'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import type { Campaign } from './campaigns.repo'

/** A run an audience was read from. */
export interface RunRead {
  id: number
  as_of: string
}

/** The newest done runs a campaign's audience reads: profiles always, RFM and CLV when filtered by them. */
export interface AudienceRuns {
  profiles: RunRead
  rfm: RunRead | null
  clv: RunRead | null
}

const newestRun = async (pg: Postgres, file: string): Promise<RunRead | undefined> => {
  const [row] = await pg.query<{ id: number; as_of: Date }>(sql(`postgres/queries/analytics/${file}`), file === 'find-profiles-run' ? undefined : [null])
  return row && { id: row.id, as_of: row.as_of.toISOString() }
}

/**
 * The runs the audience is read from, or a 409 saying which is missing: without a published
 * profiles run nobody can be targeted, and a filter on segments or CLV needs its run.
 */
export async function audienceRuns(pg: Postgres, campaign: Campaign): Promise<AudienceRuns> {
  const profiles = await newestRun(pg, 'find-profiles-run')
  if (!profiles) throw AppError.conflict('no profiles run has been published yet: run POST /v1/profiles/recompute (or wait for the nightly run) first')
  let rfm: RunRead | null = null
  if (campaign.audience.segments) {
    rfm = (await newestRun(pg, 'find-rfm-run')) ?? null
    if (!rfm) throw AppError.conflict('the audience filters on RFM segments, but no RFM run has been published yet: run POST /v1/segments/rfm/recompute first')
  }
  let clv: RunRead | null = null
  if (clvFilterOf(campaign.audience)) {
    clv = (await newestRun(pg, 'find-clv-run')) ?? null
    if (!clv) throw AppError.conflict('the audience filters on CLV, but no CLV run has been published yet: run POST /v1/clv/recompute first')
  }
  return { profiles, rfm, clv }
}

/** The holdout share in millionths, exactly (the share has at most 4 places). */
export const holdoutPpm = (share: number): number => Number(parseScaled(String(share), 6) ?? BigInt(Math.round(share * 1e6)))

/**
 * audience.sql with its CLV slot filled, and its parameters, for `slotted`: a statement with
 * an {{audience}} slot (preview-funnel.sql, insert-assignments.sql) that reads it whole. Only
 * constant SQL text is joined here; every value is a bound parameter.
 */
export function audienceStatement(slotted: string, campaign: Campaign, runs: AudienceRuns, snapshotId: number): { query: string; params: Record<string, unknown> } {
  const { audience, offer } = campaign
  const clvFilter = clvFilterOf(audience)
  const condition = clvFilterCondition(clvFilter ?? {}, 'c')
  const audienceSql = withCondition(sql('clickhouse/queries/campaigns/audience'), condition)
  const parts = slotted.split('{{audience}}')
  if (parts.length !== 2) throw new Error('an audience statement needs exactly one {{audience}} slot')
  const params: Record<string, unknown> = {
    ...condition.params,
    profile_run_id: runs.profiles.id,
    rfm_run_id: runs.rfm?.id ?? 0,
    clv_run_id: runs.clv?.id ?? 0,
    clv_used: clvFilter ? 1 : 0,
    snapshot_id: snapshotId,
    campaign_id: campaign.id,
    holdout_ppm: holdoutPpm(campaign.holdout_share),
    frequency_cap: campaign.frequency_cap,
    segments: audience.segments ?? [],
    tiers: audience.tiers ?? [],
    buys_categories: audience.buys_categories ?? [],
    min_days: audience.min_days_since_visit ?? null,
    max_days: audience.max_days_since_visit ?? null,
    min_visits: audience.min_visits ?? null,
    min_spend: audience.min_spend ?? null,
    max_spend: audience.max_spend ?? null,
    personalisation: campaign.personalisation,
    scope_type: offer.scope.type,
    scope_category: offer.scope.type === 'category' ? (offer.scope.category ?? '') : '',
    scope_skus: offer.scope.type === 'skus' ? offer.scope.skus : [],
    offer_kind: offer.kind,
    offer_value: offer.value,
    max_discount: offer.max_discount ?? null,
  }
  return { query: `${parts[0]}${audienceSql}${parts[1]}`, params }
}
