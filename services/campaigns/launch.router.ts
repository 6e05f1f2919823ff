import { Router, type Request } from 'express'
import type { RouterDeps } from '../app'
import { actorOf, requireStaff } from '../platform/auth/auth.middleware'
import { campaignIdParam } from './campaigns.router'
import { cancelDraft, requestLaunch } from './launch-request'

/**
 * Launching and cancelling a campaign (docs/campaigns.md "Launch"): marketers (admin passes
 * every role). A launch answers 202 at once with the offers job to follow on GET /v1/jobs/:id.
 */
export function launchRouter(deps: Pick<RouterDeps, 'pg' | 'jobs' | 'tokens' | 'clock'>): Router {
  const router = Router()
  const marketers = requireStaff(deps, 'marketer')
  const context = (req: Request, locals: Express.Locals) => ({ actor: actorOf(locals), requestId: String(req.id) })

  router.post('/v1/campaigns/:id/launch', marketers, async (req, res) => {
    const id = await requestLaunch(deps, campaignIdParam(req), context(req, res.locals))
    res.status(202).location(`/v1/jobs/${id}`).json({ job_id: id, status_url: `/v1/jobs/${id}` })
  })

  router.post('/v1/campaigns/:id/cancel', marketers, async (req, res) => {
    res.json(await cancelDraft(deps, campaignIdParam(req), context(req, res.locals)))
  })
  return router
}
