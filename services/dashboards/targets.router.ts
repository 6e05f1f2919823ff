import express, { Router } from 'express'
import type { RouterDeps } from '../app'
import { requireStaff } from '../platform/auth/auth.middleware'
import { parseBody } from '../platform/http/validate'
import { TargetsBodySchema } from './dashboards.schemas'
import { readStoreTargets, setStoreTargets } from './store-targets'

const json = express.json({ limit: '64kb' })

/** Stores' monthly sales targets (docs/dashboards.md "Stores"): admins set them, all staff read them. */
export function targetsRouter(deps: RouterDeps): Router {
  const router = Router()

  router.get('/v1/stores/:id/targets', requireStaff(deps, 'marketer', 'analyst', 'support'), async (req, res) => {
    res.json(await readStoreTargets(deps.pg, String(req.params.id)))
  })

  router.put('/v1/stores/:id/targets', requireStaff(deps, 'admin'), json, async (req, res) => {
    const targets = parseBody(TargetsBodySchema, req.body)
    res.json(await setStoreTargets(deps.pg, String(req.params.id), targets, res.locals.staff!.userId))
  })

  return router
}
