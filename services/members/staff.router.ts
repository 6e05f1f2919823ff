import { Router } from 'express'
import type { RouterDeps } from '../app'

/** Routes for staff sign-in and staff users. (Being built: issue 3.) */
export function staffRouter(_deps: RouterDeps): Router {
  return Router()
}
