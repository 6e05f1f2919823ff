import express, { Router } from 'express'
import type { RouterDeps } from '../app'
import { AppError } from '../platform/http/errors'
import { parseBody } from '../platform/http/validate'
import { requireStoreKey, storeOf } from '../stores/store-auth.middleware'
import { cancelRedemption } from './cancel-redemption'
import { RedeemRequestSchema, RedemptionIdSchema } from './points.schemas'
import { redeemPoints } from './redeem-points'

/**
 * Points as tender, called by tills with their store's key (scope swipes:write):
 * POST /v1/redemptions and POST /v1/redemptions/:id/cancel. Both are idempotent: a repeat
 * answers 200 with Idempotent-Replayed: true and the first answer.
 */
export function redemptionsRouter(deps: RouterDeps): Router {
  const router = Router()
  const till = requireStoreKey(deps.stores, 'swipes:write')
  const settings = { pg: deps.pg, clock: deps.clock, expiryMonths: deps.config.POINTS_EXPIRY_MONTHS }

  router.post('/v1/redemptions', till, express.json({ limit: '16kb' }), async (req, res) => {
    const request = parseBody(RedeemRequestSchema, req.body)
    const outcome = await redeemPoints({ ...settings, skewSeconds: deps.config.CLOCK_SKEW_SECONDS }, storeOf(res.locals).storeId, request)
    if (outcome.status === 'replayed') res.set('Idempotent-Replayed', 'true')
    res.status(outcome.status === 'created' ? 201 : 200).json(outcome.answer)
  })

  router.post('/v1/redemptions/:id/cancel', till, async (req, res) => {
    const id = RedemptionIdSchema.safeParse(req.params.id)
    if (!id.success) throw AppError.notFound(`no redemption ${req.params.id} at this store`)
    const outcome = await cancelRedemption(settings, storeOf(res.locals).storeId, id.data)
    if (outcome.status === 'replayed') res.set('Idempotent-Replayed', 'true')
    res.status(200).json(outcome.answer)
  })
  return router
}
