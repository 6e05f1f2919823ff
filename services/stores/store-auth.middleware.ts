import type { RequestHandler } from 'express'
import { AppError } from '../platform/http/errors'
import type { StorePrincipal, StoresRepo } from './stores.repo'

declare global {
  namespace Express {
    interface Locals {
      store?: StorePrincipal
    }
  }
}

/**
 * Admits a till presenting a live key of its store (`Authorization: Bearer lsk_…` or
 * `X-Api-Key: lsk_…`) that carries `scope`; the store it acts for is `res.locals.store`.
 */
export function requireStoreKey(stores: StoresRepo, scope: string): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization')
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.get('x-api-key')
    if (!token) return next(AppError.unauthorized())
    const principal = await stores.verifyKey(token)
    if (!principal) return next(AppError.unauthorized('the API key is unknown or revoked'))
    if (!principal.scopes.includes(scope)) return next(AppError.forbidden(`this key lacks the ${scope} scope`))
    res.locals.store = principal
    next()
  }
}

/** The store the authenticated till acts for (set by requireStoreKey). */
export function storeOf(locals: { store?: StorePrincipal }): StorePrincipal {
  if (!locals.store) throw AppError.unauthorized()
  return locals.store
}
