import crypto from 'node:crypto'
import type { JobQueues } from '../../workers/queues'
import { audit, type Actor } from '../platform/audit'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

export interface LaunchRequestDeps {
  pg: Postgres
  jobs: JobQueues
  clock: () => Date
}

export interface LaunchContext {
  actor: Actor
  requestId: string
}

/**
 * Job states in which a launch is no longer being worked on, though the campaign still says
 * 'launching': a new request queues a new job, which resumes (completed cannot normally be
 * seen here, as the job's last stage marks the campaign launched; requeueing is safe anyway).
 */
const DEAD = new Set(['failed', 'completed', 'unknown'])

/**
 * POST /v1/campaigns/:id/launch: a draft moves to 'launching' and its offers job is queued;
 * asking again while it is launching answers the same job, unless that job failed for good
 * (or retention removed it), when a new job takes over and resumes where it stopped. The job
 * id is chosen and committed with the state before the job is added, so the job never starts
 * on a campaign that does not yet say 'launching', and a crash between the two leaves a job id
 * that names no job: the next request adds it. Answers the job's public id.
 */
export async function requestLaunch(deps: LaunchRequestDeps, campaignId: number, ctx: LaunchContext): Promise<string> {
  const jobId = await deps.pg.transaction(async (tx) => {
    const [campaign] = await tx.query<{ state: string; launch_job_id: string | null }>(sql('postgres/queries/campaigns/launch-lock'), [campaignId])
    if (!campaign) throw AppError.notFound(`no campaign ${campaignId}`)
    if (campaign.state === 'launched' || campaign.state === 'cancelled') throw AppError.conflict(`campaign ${campaignId} is ${campaign.state}`)
    if (campaign.state === 'launching' && campaign.launch_job_id) {
      const job = await deps.jobs.get(campaign.launch_job_id)
      if (job && !DEAD.has(job.state)) return campaign.launch_job_id
    }
    // queue.id; the BullMQ id is not all digits and has no ':' (a custom id's rules).
    const id = `offers.cmp${campaignId}-${crypto.randomBytes(4).toString('hex')}`
    await tx.query(sql('postgres/queries/campaigns/launch-start'), [campaignId, id, deps.clock()])
    if (campaign.state === 'draft') {
      await audit(tx, { actor: ctx.actor, action: 'campaign.launch', entity: { type: 'campaign', id: String(campaignId) }, after: { state: 'launching', launch_job_id: id }, requestId: ctx.requestId })
    }
    return id
  })
  // Adding a job id BullMQ already holds adds nothing: a repeat, or a job the previous request added.
  await deps.jobs.enqueue('offers', { campaign_id: campaignId }, { jobId: jobId.slice('offers.'.length) })
  return jobId
}

/** POST /v1/campaigns/:id/cancel: a draft becomes cancelled; any other state is a conflict. */
export async function cancelDraft(deps: Pick<LaunchRequestDeps, 'pg' | 'clock'>, campaignId: number, ctx: LaunchContext): Promise<{ id: number; state: 'cancelled' }> {
  return deps.pg.transaction(async (tx) => {
    const [campaign] = await tx.query<{ state: string }>(sql('postgres/queries/campaigns/launch-lock'), [campaignId])
    if (!campaign) throw AppError.notFound(`no campaign ${campaignId}`)
    const cancelled = await tx.query(sql('postgres/queries/campaigns/cancel-draft'), [campaignId, deps.clock()])
    if (cancelled.length === 0) throw AppError.conflict(`campaign ${campaignId} is ${campaign.state}; only a draft can be cancelled`)
    await audit(tx, { actor: ctx.actor, action: 'campaign.cancel', entity: { type: 'campaign', id: String(campaignId) }, before: { state: 'draft' }, after: { state: 'cancelled' }, requestId: ctx.requestId })
    return { id: campaignId, state: 'cancelled' as const }
  })
}
