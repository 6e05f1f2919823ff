import { Router } from 'express'
import type { RouterDeps } from '../app'

/** Routes for members' own sign-in and self-service. (Being built: issue 3.) */
export function meRouter(_deps: RouterDeps): Router {
  return Router()
}
