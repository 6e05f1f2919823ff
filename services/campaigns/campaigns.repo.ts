import { audit, type Actor } from '../platform/audit'
import { formatScaled, parseScaled } from '../platform/decimal'
import { AppError } from '../platform/http/errors'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { AudienceSchema, OfferSchema, type Audience, type CampaignFields, type Offer, type Personalisation } from './campaign.schemas'
import { parseCampaignFields } from './campaign-rules'

export const CAMPAIGN_STATES = ['draft', 'launching', 'launched', 'cancelled'] as const
export type CampaignState = (typeof CAMPAIGN_STATES)[number]

/**
 * A campaign as code reads it (the launch job, the preview, the assignment): its fields parsed
 * with campaign.schemas.ts, money as exact decimal text ("250.00"), instants as ISO 8601.
 */
export interface Campaign {
  id: number
  name: string
  state: CampaignState
  audience: Audience
  offer: Offer
  personalisation: Personalisation
  /** The most all redemptions may take off together; null: no cap. */
  budget: string | null
  spent: string
  /** Share of the eligible audience kept out (0 to 0.5, at most 4 places). */
  holdout_share: number
  frequency_cap: number
  valid_from: string
  valid_until: string
  created_by: string
  created_at: string
  updated_at: string
  /** Launch: the job, the runs the audience was read from, the groups, coupons issued. */
  launch_job_id: string | null
  profile_run_id: number | null
  rfm_run_id: number | null
  clv_run_id: number | null
  assigned_at: string | null
  treated: number | null
  holdout: number | null
  issued: number
  launched_at: string | null
}

/** The API's view: as Campaign, with the audience as it was given (the form PATCH takes back). */
export type CampaignView = Omit<Campaign, 'audience'> & { audience: Record<string, unknown> }

interface CampaignRow {
  id: string
  name: string
  state: CampaignState
  audience: Record<string, unknown>
  offer: unknown
  personalisation: Personalisation
  budget_cents: string | null
  spent_cents: string
  holdout_share: string
  frequency_cap: number
  valid_from: Date
  valid_until: Date
  created_by: string
  created_at: Date
  updated_at: Date
  launch_job_id: string | null
  profile_run_id: string | null
  rfm_run_id: string | null
  clv_run_id: string | null
  assigned_at: Date | null
  treated: number | null
  holdout: number | null
  issued: number
  launched_at: Date | null
}

const iso = (at: Date | null) => at?.toISOString() ?? null
const id = (value: string | null) => (value === null ? null : Number(value))

function viewOf(row: CampaignRow): CampaignView {
  return {
    id: Number(row.id),
    name: row.name,
    state: row.state,
    audience: row.audience,
    offer: OfferSchema.parse(row.offer),
    personalisation: row.personalisation,
    budget: row.budget_cents === null ? null : formatScaled(BigInt(row.budget_cents), 2),
    spent: formatScaled(BigInt(row.spent_cents), 2),
    holdout_share: Number(row.holdout_share),
    frequency_cap: row.frequency_cap,
    valid_from: row.valid_from.toISOString(),
    valid_until: row.valid_until.toISOString(),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    launch_job_id: row.launch_job_id,
    profile_run_id: id(row.profile_run_id),
    rfm_run_id: id(row.rfm_run_id),
    clv_run_id: id(row.clv_run_id),
    assigned_at: iso(row.assigned_at),
    treated: row.treated,
    holdout: row.holdout,
    issued: row.issued,
    launched_at: iso(row.launched_at),
  }
}

/** The campaign a stored row holds (its audience parsed: CLV bounds as numbers, bands as a list). */
export const campaignOf = (row: CampaignRow): Campaign => ({ ...viewOf(row), audience: AudienceSchema.parse(row.audience) })

/** The fields as the client gives them back: what a PATCH is merged into. */
function givenFields(view: CampaignView): Record<string, unknown> {
  const given: Record<string, unknown> = {
    name: view.name,
    audience: view.audience,
    offer: view.offer,
    personalisation: view.personalisation,
    holdout_share: view.holdout_share,
    frequency_cap: view.frequency_cap,
    valid_from: view.valid_from,
    valid_until: view.valid_until,
  }
  if (view.budget !== null) given.budget = view.budget
  return given
}

/** The insert / update parameters of valid fields, in insert-campaign.sql's order from $2. */
function fieldParams(fields: CampaignFields & { frequency_cap: number }, audience: unknown): unknown[] {
  return [
    fields.name,
    JSON.stringify(audience ?? {}),
    JSON.stringify(fields.offer),
    fields.personalisation,
    fields.budget === undefined ? null : String(parseScaled(fields.budget, 2)),
    String(fields.holdout_share),
    fields.frequency_cap,
    fields.valid_from,
    fields.valid_until,
  ]
}

export interface CampaignContext {
  actor: Actor
  requestId?: string
  now: Date
  /** The platform's frequency cap (CAMPAIGN_FREQUENCY_CAP): the most and the default. */
  frequencyCap: number
}

const inputObject = (input: unknown): Record<string, unknown> =>
  typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {}

/** Creates a draft from the request body, or a 400 naming every problem. Audited. */
export async function createCampaign(pg: Postgres, input: unknown, ctx: CampaignContext): Promise<CampaignView> {
  const fields = parseCampaignFields(input, ctx.frequencyCap)
  // The audience is stored as given: its CLV fields parse from text into numbers and lists.
  const audience = inputObject(input).audience ?? {}
  return pg.transaction(async (tx) => {
    const [row] = await tx.query<CampaignRow>(sql('postgres/queries/campaigns/insert-campaign'), [
      ...fieldParams(fields, audience),
      ctx.actor.id,
      ctx.now,
    ])
    const created = viewOf(row!)
    await audit(tx, { actor: ctx.actor, action: 'campaign.create', entity: { type: 'campaign', id: String(created.id) }, after: created, requestId: ctx.requestId })
    return created
  })
}

/**
 * Changes a draft: the body's fields replace the stored ones (null removes an optional field),
 * and the whole is checked again. 404 unknown, 409 once launched or cancelled. Audited.
 */
export async function updateDraft(pg: Postgres, campaignId: number, input: unknown, ctx: CampaignContext): Promise<CampaignView> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw AppError.badRequest('the request body is not valid', [{ path: '$', message: 'expected an object of the fields to change' }])
  }
  return pg.transaction(async (tx) => {
    const before = await lockedCampaign(tx, campaignId)
    if (before.state !== 'draft') throw AppError.conflict(`campaign ${campaignId} is ${before.state}: only a draft can be changed`)
    const merged: Record<string, unknown> = { ...givenFields(before) }
    for (const [key, value] of Object.entries(input)) {
      if (value === null) delete merged[key]
      else merged[key] = value
    }
    const fields = parseCampaignFields(merged, ctx.frequencyCap)
    const [row] = await tx.query<CampaignRow>(sql('postgres/queries/campaigns/update-draft'), [campaignId, ...fieldParams(fields, merged.audience), ctx.now])
    const after = viewOf(row!)
    await audit(tx, { actor: ctx.actor, action: 'campaign.update', entity: { type: 'campaign', id: String(campaignId) }, before, after, requestId: ctx.requestId })
    return after
  })
}

async function lockedCampaign(tx: Tx, campaignId: number): Promise<CampaignView> {
  const [row] = await tx.query<CampaignRow>(sql('postgres/queries/campaigns/lock-campaign'), [campaignId])
  if (!row) throw AppError.notFound(`no campaign ${campaignId}`)
  return viewOf(row)
}

/** The campaign as the API shows it, or a 404. */
export async function getCampaignView(pg: Postgres, campaignId: number): Promise<CampaignView> {
  const [row] = await pg.query<CampaignRow>(sql('postgres/queries/campaigns/find-campaign'), [campaignId])
  if (!row) throw AppError.notFound(`no campaign ${campaignId}`)
  return viewOf(row)
}

/** The campaign for code (the launch job, the preview), or a 404. */
export async function getCampaign(pg: Postgres | Tx, campaignId: number): Promise<Campaign> {
  const [row] = await pg.query<CampaignRow>(sql('postgres/queries/campaigns/find-campaign'), [campaignId])
  if (!row) throw AppError.notFound(`no campaign ${campaignId}`)
  return campaignOf(row)
}

/** One page of campaigns, newest first; `next` is the cursor of the following page (null: last). */
export async function listCampaigns(pg: Postgres, query: { before?: number; state?: CampaignState; limit: number }): Promise<{ campaigns: CampaignView[]; next: number | null }> {
  const rows = await pg.query<CampaignRow>(sql('postgres/queries/campaigns/list-campaigns'), [query.before ?? null, query.state ?? null, query.limit + 1])
  const campaigns = rows.slice(0, query.limit).map(viewOf)
  return { campaigns, next: rows.length > query.limit ? campaigns[campaigns.length - 1]!.id : null }
}
