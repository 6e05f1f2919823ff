import { Router } from 'express'
import type { RouterDeps } from '../app'
import { requireStaff } from '../platform/auth/auth.middleware'
import { parseQuery } from '../platform/http/validate'
import { campaignReport } from './campaign-report'
import { campaignIdParam } from './campaigns.router'
import { CampaignReportQuerySchema } from './report.schemas'

/**
 * The campaign report (docs/campaigns.md "Report"): treated against holdout over the
 * campaign's window, for marketers and analysts. Aggregates only: no member is named.
 */
export function reportRouter(deps: RouterDeps): Router {
  const router = Router()
  router.get('/v1/campaigns/:id/report', requireStaff(deps, 'marketer', 'analyst'), async (req, res) => {
    const query = parseQuery(CampaignReportQuerySchema, req.query)
    res.json(await campaignReport(deps, campaignIdParam(req), query))
  })
  return router
}
