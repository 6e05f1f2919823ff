import { Router } from 'express'
import type { RouterDeps } from '../app'
import { requireStaff } from '../platform/auth/auth.middleware'
import { parseQuery } from '../platform/http/validate'
import { GridQuerySchema, rangeSchema } from './dashboards.schemas'
import { overviewReport } from './overview'
import { segmentGrid } from './segment-grid'
import { storesReport } from './stores-report'

/**
 * The console's read API (docs/dashboards.md): the overview, stores against their targets, and
 * the RFM grid. For admin, marketer and analyst; every figure is aggregated in ClickHouse or
 * Postgres, and no answer holds personal data.
 */
export function dashboardsRouter(deps: RouterDeps): Router {
  const router = Router()
  const readers = requireStaff(deps, 'marketer', 'analyst')
  const range = rangeSchema(() => deps.clock().toISOString().slice(0, 10))

  router.get('/v1/dashboard/overview', readers, async (req, res) => {
    res.json(await overviewReport(deps, parseQuery(range, req.query)))
  })

  router.get('/v1/dashboard/stores', readers, async (req, res) => {
    res.json(await storesReport(deps, parseQuery(range, req.query)))
  })

  router.get('/v1/segments/grid', readers, async (req, res) => {
    res.json(await segmentGrid(deps, parseQuery(GridQuerySchema, req.query).run_id))
  })

  return router
}
