import { Router } from 'express'
import type { RouterDeps } from '../app'

/** Routes for members, cards, consent, merge (staff). (Being built: issue 3.) */
export function membersRouter(_deps: RouterDeps): Router {
  return Router()
}
