import express, { Router, type Request } from 'express'
import type { RouterDeps } from '../app'
import { actorOf, requireStaff, STAFF_ROLES } from '../platform/auth/auth.middleware'
import { AppError } from '../platform/http/errors'
import { parseBody, parseQuery } from '../platform/http/validate'
import { adjustPoints } from './adjust-points'
import { EarningRulesSchema } from './earning-rules.schemas'
import { newestRuleSet, ruleSetVersion, ruleSetVersions } from './earning-rules.repo'
import { liabilityReport } from './liability'
import { memberExpiring, memberLedger } from './member-points'
import { insufficientPointsHandler } from './points.errors'
import { AdjustmentRequestSchema, ExpiringQuerySchema, LiabilityQuerySchema, MemberIdSchema, PageQuerySchema } from './points.schemas'
import { redemptionsRouter } from './redemptions.router'
import { TiersSchema } from './tiers.schemas'
import { newestTierLadder, tierLadderVersions } from './tiers.repo'
import { updateEarningRules } from './update-earning-rules'
import { updateTiers } from './update-tiers'

/**
 * Points routes (docs/points.md has the role table): redemptions for tills; adjustments,
 * ledger and expiry views for support; earning rules (marketers) and tiers (admins) as
 * versioned documents; the liability report for analysts. Admin passes every role check.
 */
export function pointsRouter(deps: RouterDeps): Router {
  const router = Router()
  const anyStaff = requireStaff(deps, ...STAFF_ROLES)
  const support = requireStaff(deps, 'support')
  const memberReaders = requireStaff(deps, 'support', 'analyst')
  const marketer = requireStaff(deps, 'marketer')
  const admin = requireStaff(deps, 'admin')
  const analyst = requireStaff(deps, 'analyst')
  const json = express.json({ limit: '8mb' })
  const settings = { pg: deps.pg, clock: deps.clock, expiryMonths: deps.config.POINTS_EXPIRY_MONTHS }
  const context = (req: Request, locals: Express.Locals) => ({ actor: actorOf(locals), requestId: String(req.id) })

  router.use(redemptionsRouter(deps))

  router.post('/v1/members/:id/points/adjustments', support, json, async (req, res) => {
    const memberId = memberIdOf(req)
    const request = parseBody(AdjustmentRequestSchema, req.body)
    res.status(201).json(await adjustPoints(settings, memberId, request, context(req, res.locals)))
  })

  router.get('/v1/members/:id/ledger', memberReaders, async (req, res) => {
    const page = parseQuery(PageQuerySchema, req.query)
    res.json(await memberLedger(deps.pg, memberIdOf(req), page))
  })

  router.get('/v1/members/:id/expiring', memberReaders, async (req, res) => {
    const { days } = parseQuery(ExpiringQuerySchema, req.query)
    res.json(await memberExpiring(deps.pg, memberIdOf(req), deps.clock(), days))
  })

  router.get('/v1/earning-rules', anyStaff, async (_req, res) => {
    const ruleSet = await newestRuleSet(deps.pg)
    res.set('ETag', `"${ruleSet.version}"`).json(ruleSet)
  })

  router.put('/v1/earning-rules', marketer, json, async (req, res) => {
    const rules = parseBody(EarningRulesSchema, req.body)
    const { ruleSet, created } = await updateEarningRules(deps, rules, { ...context(req, res.locals), expectedVersion: ifMatch(req) })
    res.status(created ? 201 : 200).set('ETag', `"${ruleSet.version}"`).json(ruleSet)
  })

  router.get('/v1/earning-rules/versions', anyStaff, async (req, res) => {
    const { before, limit } = parseQuery(PageQuerySchema, req.query)
    const versions = await ruleSetVersions(deps.pg, { before: before === undefined ? undefined : Number(before), limit })
    res.json({ versions, next_before: versions.length === limit ? String(versions.at(-1)!.version) : null })
  })

  router.get('/v1/earning-rules/versions/:version', anyStaff, async (req, res) => {
    const version = /^[1-9]\d{0,8}$/.test(String(req.params.version)) ? Number(req.params.version) : undefined
    const ruleSet = version === undefined ? undefined : await ruleSetVersion(deps.pg, version)
    if (!ruleSet) throw AppError.notFound(`no earning rules version ${req.params.version}`)
    res.json(ruleSet)
  })

  router.get('/v1/tiers', anyStaff, async (_req, res) => {
    const ladder = await newestTierLadder(deps.pg)
    res.set('ETag', `"${ladder.version}"`).json(ladder)
  })

  router.put('/v1/tiers', admin, json, async (req, res) => {
    const tiers = parseBody(TiersSchema, req.body)
    const { ladder, created } = await updateTiers(deps, tiers, { ...context(req, res.locals), expectedVersion: ifMatch(req) })
    res.status(created ? 201 : 200).set('ETag', `"${ladder.version}"`).json(ladder)
  })

  router.get('/v1/tiers/versions', anyStaff, async (req, res) => {
    const { before, limit } = parseQuery(PageQuerySchema, req.query)
    const versions = await tierLadderVersions(deps.pg, { before: before === undefined ? undefined : Number(before), limit })
    res.json({ versions, next_before: versions.length === limit ? String(versions.at(-1)!.version) : null })
  })

  router.get('/v1/points/liability', analyst, async (req, res) => {
    const { months } = parseQuery(LiabilityQuerySchema, req.query)
    res.json(await liabilityReport(deps.pg, deps.clock(), months))
  })

  router.use(insufficientPointsHandler)
  return router
}

/** The member id in the path; one that cannot exist is simply not found. */
function memberIdOf(req: Request): string {
  const id = MemberIdSchema.safeParse(req.params.id)
  if (!id.success) throw AppError.notFound(`no member ${String(req.params.id)}`)
  return id.data
}

/** The version an edit was based on, from If-Match ("12" or 12); absent: no check. */
function ifMatch(req: Request): number | undefined {
  const header = req.get('if-match')
  if (header === undefined) return undefined
  const match = /^(?:W\/)?"?([1-9]\d{0,8})"?$/.exec(header.trim())
  if (!match) throw AppError.badRequest('If-Match must name a version, as the ETag gave it', [{ path: 'If-Match', message: 'expected "<version>"' }])
  return Number(match[1])
}
