import express, { Router, type Request } from 'express'
import type { RouterDeps } from '../app'
import { actorOf, requireStaff, staffOf } from '../platform/auth/auth.middleware'
import { parseBody, parseQuery } from '../platform/http/validate'
import { memberState } from '../analytics/analytics-runs.repo'
import { AppError } from '../platform/http/errors'
import { attachCardToMember, blockCard } from './cards'
import { CouponsQuerySchema } from './me.schemas'
import { memberCoupons } from './member-coupons'
import { requireMemberDetail, withoutPersonalData } from './members.repo'
import { AttachCardSchema, BlockCardSchema, MergeMembersSchema, RegisterMemberSchema, SearchMembersSchema, UpdateMemberSchema } from './members.schemas'
import { mergeMembersNow } from './merge-members'
import { registerMember } from './register-member'
import { searchMembers } from './search-members'
import { updateMember } from './update-member'

const json = express.json({ limit: '64kb' })

/**
 * Members, cards and merges, for staff. Support and admin read and change everything; a
 * marketer reads one member without personal data; an analyst has no access to individual
 * members (docs/members.md, role table).
 */
export function membersRouter(deps: RouterDeps): Router {
  const router = Router()
  const support = requireStaff(deps, 'support')
  const supportOrMarketer = requireStaff(deps, 'support', 'marketer')
  const context = (req: Request, locals: Express.Locals) => ({
    actor: actorOf(locals),
    requestId: String(req.id),
    now: deps.clock(),
    expiryMonths: deps.config.POINTS_EXPIRY_MONTHS,
  })

  router.post('/v1/members', support, json, async (req, res) => {
    const input = parseBody(RegisterMemberSchema, req.body)
    res.status(201).json(await registerMember(deps.pg, input, context(req, res.locals)))
  })

  router.get('/v1/members', support, async (req, res) => {
    res.json(await searchMembers(deps.pg, parseQuery(SearchMembersSchema, req.query)))
  })

  router.get('/v1/members/:id', supportOrMarketer, async (req, res) => {
    const member = await requireMemberDetail(deps.pg, String(req.params.id))
    const roles = staffOf(res.locals).roles
    res.json(roles.includes('admin') || roles.includes('support') ? member : withoutPersonalData(member))
  })

  // The member's coupons as GET /v1/me/coupons shows them (merged members' included), for Member 360.
  router.get('/v1/members/:id/coupons', support, async (req, res) => {
    const query = parseQuery(CouponsQuerySchema, req.query)
    const id = String(req.params.id)
    if (!(await memberState(deps.pg, id))) throw AppError.notFound(`no member ${id}`)
    res.json(await memberCoupons(deps, id, query))
  })

  router.patch('/v1/members/:id', support, json, async (req, res) => {
    const change = parseBody(UpdateMemberSchema, req.body)
    res.json(await updateMember(deps.pg, String(req.params.id), change, context(req, res.locals)))
  })

  router.post('/v1/members/:id/cards', support, json, async (req, res) => {
    const { card_number } = parseBody(AttachCardSchema, req.body)
    const result = await attachCardToMember(deps.pg, String(req.params.id), card_number, context(req, res.locals))
    res.status(result.outcome === 'unchanged' ? 200 : 201).json(result)
  })

  router.post('/v1/members/:id/merge', support, json, async (req, res) => {
    const input = parseBody(MergeMembersSchema, req.body)
    const merge = { targetId: String(req.params.id), sourceId: input.from_member_id, reason: input.reason }
    res.json(await mergeMembersNow(deps.pg, { ...merge, ...context(req, res.locals) }))
  })

  router.post('/v1/cards/:card_number/block', support, json, async (req, res) => {
    const input = parseBody(BlockCardSchema, req.body)
    res.json(await blockCard(deps.pg, String(req.params.card_number), input, context(req, res.locals)))
  })

  return router
}
