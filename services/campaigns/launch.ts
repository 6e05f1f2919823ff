import { UnrecoverableError } from 'bullmq'
import type { ClickHouse } from '../platform/clickhouse'
import type { Logger } from '../platform/logger'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { OfferSchema, type Personalisation } from './campaign.schemas'
import { couponTerms } from './coupon-rows'
import { issueCoupons } from './issue-coupons'
import type { Assignment } from './assign'
import { getCampaign, type Campaign } from './campaigns.repo'
import { copyIssuedEvents } from './issued-events'

/** The campaign row as the launch reads it (launch-campaign.sql). */
export interface LaunchCampaign {
  id: string
  name: string
  state: 'draft' | 'launching' | 'launched' | 'cancelled'
  audience: unknown
  offer: unknown
  personalisation: Personalisation
  holdout_share: string
  frequency_cap: number
  valid_from: Date
  valid_until: Date
  assigned_at: Date | null
  treated: number | null
  holdout: number | null
  issued_through: string | null
  issued: number
  launched_at: Date | null
}

/** Writes the campaign's assignment to ClickHouse, idempotently (assign.ts assignAudience). */
export type AssignAudience = (deps: { pg: Postgres; ch: ClickHouse; clock?: () => Date }, campaign: Campaign) => Promise<Assignment>

export interface LaunchDeps {
  pg: Postgres
  ch: ClickHouse
  logger: Logger
  clock: () => Date
  /** Writes the campaign's assignment to ClickHouse, idempotently (assign.ts). */
  assign: AssignAudience
  /** Treated members per issuing transaction (config COUPON_ISSUE_CHUNK). */
  chunkSize: number
  /** Test seam: after issuing chunk k of this run has committed. */
  afterChunk?: (k: number) => Promise<void>
}

export const LAUNCH_STAGES = ['assign', 'issue', 'events', 'launched'] as const
export type LaunchStage = (typeof LAUNCH_STAGES)[number]

export interface LaunchProgress {
  campaign_id: number
  stage: LaunchStage
  /** Stages finished, of `stages`. */
  done: number
  stages: number
  treated?: number
  issued?: number
}

export interface LaunchResult {
  campaign_id: number
  treated: number
  holdout: number
  /** Coupons issued; treated − issued withdrew consent (or left) between assignment and issuing. */
  issued: number
  not_issued: number
  events: number
  /** Wall time per stage of this attempt, in seconds (a stage a relaunch skipped is absent). */
  seconds: Partial<Record<LaunchStage, number>>
}

/**
 * A campaign's launch (docs/campaigns.md "Launch"), one stage after another, each safe to run
 * again: assign (once: skipped when assigned_at is set), issue (resumes after issued_through),
 * copy the issued events (a re-copy collapses), mark launched. A crash anywhere and a relaunch
 * issues no coupon twice.
 */
export async function launchCampaign(
  deps: LaunchDeps,
  campaignId: number,
  onProgress: (progress: LaunchProgress) => Promise<void> | void = () => {},
): Promise<LaunchResult> {
  const found = await readCampaign(deps.pg, campaignId)
  if (!found) throw new UnrecoverableError(`campaign ${campaignId} does not exist`)
  let campaign: LaunchCampaign = found
  if (campaign.state === 'launched') return result(campaign, 0, {})
  if (campaign.state !== 'launching') throw new UnrecoverableError(`campaign ${campaignId} is ${campaign.state}, not launching`)
  const log = deps.logger.child({ campaign_id: campaignId })
  const seconds: LaunchResult['seconds'] = {}
  const timed = async (stage: LaunchStage, work: () => Promise<unknown>) => {
    await onProgress({ campaign_id: campaignId, stage, done: LAUNCH_STAGES.indexOf(stage), stages: LAUNCH_STAGES.length, treated: campaign.treated ?? undefined, issued: campaign.issued })
    const started = performance.now()
    await work()
    seconds[stage] = Math.round(performance.now() - started) / 1000
  }

  if (!campaign.assigned_at) {
    await timed('assign', async () => {
      const a = await deps.assign({ pg: deps.pg, ch: deps.ch, clock: deps.clock }, await getCampaign(deps.pg, campaignId))
      await deps.pg.query(sql('postgres/queries/campaigns/record-assignment'), [campaignId, deps.clock(), a.treated, a.holdout, a.profileRunId, a.rfmRunId, a.clvRunId])
      campaign = (await readCampaign(deps.pg, campaignId))!
    })
  }
  const terms = couponTerms(OfferSchema.parse(campaign.offer), campaign.personalisation, campaign.valid_from, campaign.valid_until)
  await timed('issue', async () => {
    const done = await issueCoupons(deps, campaignId, terms, { issued: campaign.issued, through: campaign.issued_through }, (p) =>
      onProgress({ campaign_id: campaignId, stage: 'issue', done: 1, stages: LAUNCH_STAGES.length, treated: campaign.treated ?? undefined, issued: p.issued }),
    )
    campaign = { ...campaign, issued: done.issued, issued_through: done.through }
  })
  let events = 0
  await timed('events', async () => {
    const copy = await copyIssuedEvents(deps.pg, deps.ch, campaignId)
    // Every coupon of the campaign is in the copy; fewer events than coupons means a lost insert.
    if (copy.events !== copy.copied) throw new Error(`coupon_events holds ${copy.events} issued events for ${copy.copied} coupons`)
    events = copy.events
  })
  await timed('launched', () => deps.pg.query(sql('postgres/queries/campaigns/mark-launched'), [campaignId, deps.clock()]))
  const launched = result(campaign, events, seconds)
  log.info(launched, 'campaign launched')
  return launched
}

async function readCampaign(pg: Postgres, campaignId: number): Promise<LaunchCampaign | undefined> {
  const [row] = await pg.query<LaunchCampaign>(sql('postgres/queries/campaigns/launch-campaign'), [campaignId])
  return row
}

function result(c: LaunchCampaign, events: number, seconds: LaunchResult['seconds']): LaunchResult {
  const treated = c.treated ?? 0
  return { campaign_id: Number(c.id), treated, holdout: c.holdout ?? 0, issued: c.issued, not_issued: treated - c.issued, events, seconds }
}
