import { Router } from 'express'
import type { RouterDeps } from '../app'

/** Routes for redemptions, adjustments, earning rules, tiers, liability. (Being built: issue 3.) */
export function pointsRouter(_deps: RouterDeps): Router {
  return Router()
}
