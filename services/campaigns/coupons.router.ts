import express, { Router } from 'express'
import type { RouterDeps } from '../app'
import { parseBody } from '../platform/http/validate'
import { requireStoreKey } from '../stores/store-auth.middleware'
import { ValidateCouponSchema } from './coupons.schemas'
import { validateCoupon } from './validate-coupon'

/**
 * Coupons at the till (scope swipes:write, as POST /v1/swipes): POST /v1/coupons/:code/validate
 * answers what the coupon would take off a basket, changing nothing. Redemption itself rides
 * on the swipe's coupon_codes (redeem-coupons.ts).
 */
export function couponsRouter(deps: Pick<RouterDeps, 'pg' | 'stores' | 'clock'>): Router {
  const router = Router()
  const till = requireStoreKey(deps.stores, 'swipes:write')

  router.post('/v1/coupons/:code/validate', till, express.json({ limit: '1mb' }), async (req, res) => {
    const request = parseBody(ValidateCouponSchema, req.body)
    res.status(200).json(await validateCoupon(deps.pg, String(req.params.code), request, deps.clock()))
  })
  return router
}
