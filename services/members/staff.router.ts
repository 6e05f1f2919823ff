import express, { Router } from 'express'
import type { RouterDeps } from '../app'
import { actorOf, requireStaff } from '../platform/auth/auth.middleware'
import { AppError } from '../platform/http/errors'
import { parseBody } from '../platform/http/validate'
import { signInStaff } from './staff-sign-in'
import { CreateStaffUserSchema, StaffSignInSchema, UpdateStaffUserSchema } from './staff.schemas'
import { createStaffUser, listStaffUsers, updateStaffUser } from './staff-users'

const json = express.json({ limit: '64kb' })

/**
 * Staff sign-in (POST /v1/staff/sessions) and staff user administration (admin only).
 * Rules and the role table: docs/members.md.
 */
export function staffRouter(deps: RouterDeps): Router {
  const router = Router()
  const adminOnly = requireStaff(deps, 'admin')
  const signInDeps = {
    pg: deps.pg,
    clock: deps.clock,
    maxFailures: deps.config.SIGN_IN_MAX_FAILURES,
    lockoutSeconds: deps.config.SIGN_IN_LOCKOUT_SECONDS,
  }

  router.post('/v1/staff/sessions', json, async (req, res) => {
    const { email, password } = parseBody(StaffSignInSchema, req.body)
    const result = await signInStaff(signInDeps, email, password)
    if (result.outcome === 'locked') {
      res.set('Retry-After', String(result.retryAfterSeconds))
      throw new AppError(429, 'sign_in_locked', `too many wrong passwords in a row; try again in ${result.retryAfterSeconds} s`)
    }
    if (result.outcome === 'invalid') throw AppError.unauthorized('the e-mail or password is wrong')
    const { token, expires_at } = deps.tokens.issue({ sub: result.user.id, kind: 'staff' }, deps.config.STAFF_TOKEN_TTL_SECONDS, deps.clock())
    res.status(201).json({ token, expires_at, user: result.user })
  })

  router.post('/v1/staff/users', adminOnly, json, async (req, res) => {
    const input = parseBody(CreateStaffUserSchema, req.body)
    res.status(201).json(await createStaffUser(deps.pg, input, context(req, res.locals)))
  })

  router.get('/v1/staff/users', adminOnly, async (_req, res) => {
    res.json({ users: await listStaffUsers(deps.pg) })
  })

  router.patch('/v1/staff/users/:id', adminOnly, json, async (req, res) => {
    const change = parseBody(UpdateStaffUserSchema, req.body)
    res.json(await updateStaffUser(deps.pg, String(req.params.id), change, context(req, res.locals)))
  })

  const context = (req: express.Request, locals: Express.Locals) => ({ actor: actorOf(locals), requestId: String(req.id), now: deps.clock() })
  return router
}
