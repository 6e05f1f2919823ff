import type { Request, RequestHandler } from 'express'
import type { Actor } from '../audit'
import { AppError } from '../http/errors'
import type { Postgres } from '../postgres'
import { sql } from '../sql-loader'
import type { TokenSigner } from './tokens'

export const STAFF_ROLES = ['admin', 'marketer', 'analyst', 'support'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

export interface StaffPrincipal {
  userId: string
  email: string
  roles: StaffRole[]
}
export interface MemberPrincipal {
  memberId: string
}

declare global {
  namespace Express {
    interface Locals {
      staff?: StaffPrincipal
      member?: MemberPrincipal
    }
  }
}

export interface AuthDeps {
  pg: Postgres
  tokens: TokenSigner
}

const bearer = (req: Request) => {
  const header = req.get('authorization')
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined
}

/**
 * Admits a signed-in staff user holding one of `roles` (admin holds every role). The user is
 * re-read on each request, so disabling one takes effect at once. Sets res.locals.staff.
 */
export function requireStaff(deps: AuthDeps, ...roles: StaffRole[]): RequestHandler {
  return async (req, res, next) => {
    const token = bearer(req)
    const claims = token ? deps.tokens.verify(token) : null
    if (!claims || claims.kind !== 'staff') return next(AppError.unauthorized('sign in as staff: POST /v1/staff/sessions'))
    const [user] = await deps.pg.query<{ id: string; email: string; roles: StaffRole[] }>(sql('postgres/queries/auth/find-staff-principal'), [claims.sub])
    if (!user) return next(AppError.unauthorized('this staff account is disabled or gone'))
    if (!user.roles.includes('admin') && !roles.some((role) => user.roles.includes(role))) {
      return next(AppError.forbidden(`this needs the role ${roles.join(' or ')}`))
    }
    res.locals.staff = { userId: user.id, email: user.email, roles: user.roles }
    next()
  }
}

/**
 * Admits a signed-in member, acting only as themselves (routes take the member id from here,
 * never from the URL). Sets res.locals.member.
 *
 * `checksStatus: 'in-route'` is for the hottest read (the balance): the route's own query
 * must then match only an active member and answer memberGone() otherwise, which saves a
 * round trip per request. Every other route lets this guard re-read the member.
 */
export function requireMember(deps: AuthDeps, options: { checksStatus?: 'in-route' } = {}): RequestHandler {
  return async (req, res, next) => {
    const token = bearer(req)
    const claims = token ? deps.tokens.verify(token) : null
    if (!claims || claims.kind !== 'member') return next(AppError.unauthorized('sign in as a member: POST /v1/me/sessions'))
    if (options.checksStatus !== 'in-route') {
      const [member] = await deps.pg.query<{ id: string }>(sql('postgres/queries/auth/find-member-principal'), [claims.sub])
      if (!member) return next(memberGone())
    }
    res.locals.member = { memberId: claims.sub }
    next()
  }
}

/** A token whose member is no longer active (blocked, merged, erased). */
export const memberGone = () => AppError.unauthorized('this account can no longer sign in')

/** The staff user requireStaff admitted. */
export function staffOf(locals: Express.Locals): StaffPrincipal {
  if (!locals.staff) throw AppError.unauthorized()
  return locals.staff
}

/** The member requireMember admitted. */
export function memberOf(locals: Express.Locals): MemberPrincipal {
  if (!locals.member) throw AppError.unauthorized()
  return locals.member
}

/** The audit log's actor for whoever the request was admitted as. */
export function actorOf(locals: Express.Locals): Actor {
  if (locals.staff) return { type: 'staff', id: locals.staff.userId }
  if (locals.member) return { type: 'member', id: locals.member.memberId }
  if (locals.store) return { type: 'till', id: locals.store.keyId }
  return { type: 'system', id: null }
}
