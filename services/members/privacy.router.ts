import { MemberIdSchema } from './members.schemas'
import express, { Router } from 'express'
import { z } from 'zod'
import type { RouterDeps } from '../app'
import { audit } from '../platform/audit'
import { actorOf, requireStaff } from '../platform/auth/auth.middleware'
import { AppError } from '../platform/http/errors'
import { parseBody } from '../platform/http/validate'
import { eraseMember, type Erasure } from './erase-member'
import { exportMember } from './export-member'

/** POST /v1/members/:id/erase. The reason is kept in the audit log: no personal data in it. */
export const EraseRequestSchema = z.strictObject({ reason: z.string().trim().min(3).max(500) })

/**
 * How long an erasure request waits for the shipper to finish a batch holding the member's
 * swipes before answering 202 (the shipper marks a batch within about SHIP_IDLE_MS).
 */
const WAIT_FOR_SHIPPER_MS = 3000


/** Export and erasure of a member's data, for staff with the support (or admin) role. */
export function privacyRouter(deps: RouterDeps): Router {
  const router = Router()
  const support = requireStaff(deps, 'support')

  router.get('/v1/members/:id/export', support, async (req, res) => {
    const memberId = knownShape(req.params.id)
    const document = await exportMember(deps, memberId)
    if (!document) throw AppError.notFound('no such member')
    // Who read a member's whole record, and when: the record itself stays out of the log.
    await deps.pg.transaction((tx) =>
      audit(tx, { actor: actorOf(res.locals), action: 'member.export', entity: { type: 'member', id: memberId }, requestId: String(req.id) }),
    )
    res.set('Content-Disposition', `attachment; filename="${memberId}.json"`).json(document)
  })

  router.post('/v1/members/:id/erase', support, express.json({ limit: '16kb' }), async (req, res) => {
    const memberId = knownShape(req.params.id)
    const { reason } = parseBody(EraseRequestSchema, req.body)
    const erasure = await eraseMember(deps, memberId, {
      reason,
      actor: actorOf(res.locals),
      requestId: String(req.id),
      waitForShipperMs: WAIT_FOR_SHIPPER_MS,
    })
    // 202: Postgres is done, ClickHouse not yet (the shipper was busy); the same request again finishes it.
    res.status(erasure.state === 'done' ? 200 : 202).json(view(erasure))
  })

  return router
}

/** A member id of the wrong shape names no member: 404 without asking the database. */
function knownShape(id: string | string[] | undefined): string {
  const parsed = MemberIdSchema.safeParse(id)
  if (!parsed.success) throw AppError.notFound('no such member')
  return parsed.data
}

/** What the caller learns of an erasure: never the old card numbers. */
function view(erasure: Erasure) {
  return {
    member_id: erasure.member_id,
    state: erasure.state,
    pseudonym: erasure.pseudonym,
    requested_at: erasure.requested_at,
    completed_at: erasure.completed_at,
  }
}
