import express, { Router, type Request } from 'express'
import { z } from 'zod'
import type { RouterDeps } from '../app'
import { actorOf, requireStaff } from '../platform/auth/auth.middleware'
import { ConfigSchema } from '../platform/config'
import { AppError } from '../platform/http/errors'
import { parseBody, parseQuery } from '../platform/http/validate'
import { CAMPAIGN_STATES, createCampaign, getCampaign, getCampaignView, listCampaigns, updateDraft, type CampaignContext } from './campaigns.repo'
import { PreviewRequestSchema, previewCampaign } from './preview'

/** GET /v1/campaigns: newest first, a keyset page (`before` is the previous page's `next`). */
export const CampaignListQuerySchema = z.strictObject({
  state: z.enum(CAMPAIGN_STATES).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

/** A campaign id from the path; anything else names no campaign (404). */
export function campaignIdParam(req: Request): number {
  const raw = String(req.params.id)
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw AppError.notFound(`no campaign ${raw}`)
  return Number(raw)
}

/**
 * Campaign definitions and their preview (docs/campaigns.md "A campaign", "Preview"):
 * marketers write and preview, analysts read too. Launching is the launch router's.
 */
export function campaignsRouter(deps: RouterDeps): Router {
  const router = Router()
  const marketers = requireStaff(deps, 'marketer')
  const readers = requireStaff(deps, 'marketer', 'analyst')
  const json = express.json({ limit: '64kb' })
  const frequencyCap = deps.config.CAMPAIGN_FREQUENCY_CAP ?? ConfigSchema.shape.CAMPAIGN_FREQUENCY_CAP.parse(undefined)
  const context = (req: Request, locals: Express.Locals): CampaignContext => ({ actor: actorOf(locals), requestId: String(req.id), now: deps.clock(), frequencyCap })

  router.post('/v1/campaigns', marketers, json, async (req, res) => {
    const created = await createCampaign(deps.pg, req.body, context(req, res.locals))
    res.status(201).location(`/v1/campaigns/${created.id}`).json(created)
  })

  router.get('/v1/campaigns', readers, async (req, res) => {
    res.json(await listCampaigns(deps.pg, parseQuery(CampaignListQuerySchema, req.query)))
  })

  router.get('/v1/campaigns/:id', readers, async (req, res) => {
    res.json(await getCampaignView(deps.pg, campaignIdParam(req)))
  })

  router.patch('/v1/campaigns/:id', marketers, json, async (req, res) => {
    res.json(await updateDraft(deps.pg, campaignIdParam(req), req.body, context(req, res.locals)))
  })

  router.post('/v1/campaigns/:id/preview', marketers, json, async (req, res) => {
    const campaign = await getCampaign(deps.pg, campaignIdParam(req))
    const request = parseBody(PreviewRequestSchema, req.body ?? {})
    res.json(await previewCampaign(deps, campaign, request))
  })

  return router
}
