import express, { Router } from 'express'
import type { RouterDeps } from '../app'
import { actorOf, memberGone, memberOf, requireMember } from '../platform/auth/auth.middleware'
import { AppError } from '../platform/http/errors'
import { parseBody, parseQuery } from '../platform/http/validate'
import { exportMember } from './export-member'
import { memberBalance } from './member-balance'
import { memberCoupons } from './member-coupons'
import { memberLedger } from './member-ledger'
import { SignInLockedError, signInMember } from './member-sign-in'
import { meRepo } from './me.repo'
import { ConsentsPatchSchema, CouponsQuerySchema, LedgerQuerySchema, SignInSchema } from './me.schemas'
import { updateConsents } from './update-consents'

/**
 * Members' own sign-in and self-service. Every /v1/me route but sign-in admits a signed-in
 * member only, and takes the member from the token: no route names a member id, so nobody can
 * ask for another member's data.
 */
export function meRouter(deps: RouterDeps): Router {
  const router = Router()
  const member = requireMember(deps)
  const body = express.json({ limit: '16kb' })

  router.post('/v1/me/sessions', body, async (req, res) => {
    const input = parseBody(SignInSchema, req.body)
    try {
      res.status(201).json(await signInMember(deps, input))
    } catch (error) {
      if (error instanceof SignInLockedError) res.set('Retry-After', String(error.retryAfterSeconds))
      throw error
    }
  })

  router.get('/v1/me', member, async (_req, res) => {
    const { memberId } = memberOf(res.locals)
    const profile = await meRepo.profile(deps.pg, memberId)
    if (!profile) throw AppError.notFound('no such member')
    const [cards, consents] = await Promise.all([meRepo.cards(deps.pg, memberId), meRepo.consents(deps.pg, memberId)])
    res.json({ ...profile, cards, consents })
  })

  // The balance query itself matches only an active member (balance.sql): one round trip.
  router.get('/v1/me/balance', requireMember(deps, { checksStatus: 'in-route' }), async (_req, res) => {
    const balance = await memberBalance(deps, memberOf(res.locals).memberId)
    if (!balance) throw memberGone()
    res.json(balance)
  })

  router.get('/v1/me/ledger', member, async (req, res) => {
    const query = parseQuery(LedgerQuerySchema, req.query)
    res.json(await memberLedger(deps, memberOf(res.locals).memberId, query))
  })

  router.get('/v1/me/coupons', member, async (req, res) => {
    const query = parseQuery(CouponsQuerySchema, req.query)
    res.json(await memberCoupons(deps, memberOf(res.locals).memberId, query))
  })

  router.patch('/v1/me/consents', member, body, async (req, res) => {
    const patch = parseBody(ConsentsPatchSchema, req.body)
    const consents = await updateConsents(deps, memberOf(res.locals).memberId, patch, {
      actor: actorOf(res.locals),
      source: 'member',
      requestId: String(req.id),
    })
    res.json({ consents })
  })

  router.get('/v1/me/export', member, async (_req, res) => {
    const document = await exportMember(deps, memberOf(res.locals).memberId)
    if (!document) throw AppError.notFound('no such member')
    res.set('Content-Disposition', 'attachment; filename="my-loyalty-data.json"').json(document)
  })

  return router
}
