import { Router } from 'express'
import type { RouterDeps } from '../app'

/** Routes for export and erasure. (Being built: issue 3.) */
export function privacyRouter(_deps: RouterDeps): Router {
  return Router()
}
