/**
 * A staff adjustment of a member's points (a goodwill gesture, a correction): one 'adjust'
 * entry and its audit record with the balance before and after, in one transaction. Adding
 * opens a lot that expires like earned points; taking away never overdraws the points the
 * member could use now.
 */
import { audit, type Actor } from '../platform/audit'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { book, lockAccounts, usablePoints } from './ledger'
import { expiryDate } from './lots'
import { InsufficientPointsError } from './points.errors'
import type { AdjustmentRequest } from './points.schemas'

export interface AdjustDeps {
  pg: Postgres
  clock: () => Date
  expiryMonths: number
}

export interface AdjustmentAnswer {
  ledger_id: string
  member_id: string
  points: number
  reason: string
  balance_before: number
  balance: number
  /** When the added points expire (adding only). */
  expires_at: string | null
}

/** Adjusts `memberId`'s points by `request.points`, as `actor` (a staff user). */
export async function adjustPoints(
  deps: AdjustDeps,
  memberId: string,
  request: AdjustmentRequest,
  context: { actor: Actor; requestId?: string },
): Promise<AdjustmentAnswer> {
  return deps.pg.transaction(async (tx) => {
    // Member row before the account (the order merges lock in): a merge either committed and
    // is refused here, or waits for this adjustment; the points never land on a merged member.
    const [member] = await tx.query<{ status: string; merged_into: string | null }>(sql('postgres/queries/points/lock-member-status'), [memberId])
    if (!member) throw AppError.notFound(`no member ${memberId}`)
    if (member.status === 'merged') throw new AppError(409, 'member_merged', `${memberId} was merged into ${member.merged_into}: adjust that member`)
    if (member.status === 'erased') throw new AppError(409, 'member_erased', `${memberId} was erased`)
    const now = deps.clock()
    const accounts = await lockAccounts(tx, [memberId])
    const before = accounts.get(memberId)!.balance
    if (request.points < 0) {
      const available = await usablePoints(tx, memberId, now)
      if (available < -request.points) throw new InsufficientPointsError(-request.points, available)
    }
    const [booked] = await book(
      tx,
      accounts,
      [
        {
          memberId,
          kind: 'adjust',
          points: request.points,
          reason: request.reason,
          source: { type: 'staff', id: context.actor.id },
          occurredAt: now,
        },
      ],
      { expiryMonths: deps.expiryMonths },
    )
    // The lot the ledger opened expires as lots.ts says (a positive adjustment that only paid
    // off a debt opens none).
    const expiresAt = booked!.lotId ? expiryDate(now, deps.expiryMonths) : null
    const answer: AdjustmentAnswer = {
      ledger_id: booked!.ledgerId,
      member_id: memberId,
      points: request.points,
      reason: request.reason,
      balance_before: before,
      balance: booked!.balanceAfter,
      expires_at: expiresAt?.toISOString() ?? null,
    }
    await audit(tx, {
      actor: context.actor,
      action: 'points.adjust',
      entity: { type: 'member', id: memberId },
      before: { balance: before },
      after: { balance: answer.balance, points: request.points, reason: request.reason, ledger_id: answer.ledger_id },
      requestId: context.requestId,
    })
    return answer
  })
}
