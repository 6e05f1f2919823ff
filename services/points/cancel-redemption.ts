/**
 * Cancelling a redemption (the sale it paid for was voided): a 'restore' entry puts the
 * points back into the very lots the redemption drew, with their own expiry dates, and the
 * redemption is marked cancelled. Cancelling again answers the first cancel and moves nothing.
 */
import { AppError } from '../platform/http/errors'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { book, lockAccounts } from './ledger'

export interface CancelDeps {
  pg: Postgres
  clock: () => Date
  expiryMonths: number
}

export interface CancelAnswer {
  redemption_id: string
  status: 'cancelled'
  points: number
  /** The balance right after the points came back. */
  balance: number
  cancelled_at: string
}

export type CancelOutcome = { status: 'cancelled' | 'replayed'; answer: CancelAnswer }

interface Redemption {
  id: string
  member_id: string
  points: string
  ledger_id: string
  status: 'completed' | 'cancelled'
  cancelled_at: Date | null
}

/** Cancels the store's redemption `redemptionId`; another store's is not found. */
export async function cancelRedemption(deps: CancelDeps, storeId: string, redemptionId: string): Promise<CancelOutcome> {
  return deps.pg.transaction(async (tx) => {
    // Redemption row first, then the account: the order every cancel takes (see lock-redemption.sql).
    const [redemption] = await tx.query<Redemption>(sql('postgres/queries/points/lock-redemption'), [redemptionId, storeId])
    if (!redemption) throw AppError.notFound(`no redemption ${redemptionId} at this store`)
    if (redemption.status === 'cancelled') return { status: 'replayed', answer: await cancelledAnswer(tx, redemption) }
    const now = deps.clock()
    const accounts = await lockAccounts(tx, [redemption.member_id])
    const draws = await tx.query<{ lot_id: string; points: string }>(sql('postgres/queries/points/redemption-draws'), [redemption.ledger_id])
    const points = Number(redemption.points)
    const [booked] = await book(
      tx,
      accounts,
      [
        {
          memberId: redemption.member_id,
          kind: 'restore',
          points,
          reason: 'redemption cancelled',
          source: { type: 'redemption', id: redemption.id },
          storeId,
          occurredAt: now,
          restore: draws.map((d) => ({ lotId: d.lot_id, points: Number(d.points) })),
        },
      ],
      { expiryMonths: deps.expiryMonths },
    )
    await tx.query(sql('postgres/queries/points/cancel-redemption'), [redemption.id, now])
    return {
      status: 'cancelled',
      answer: { redemption_id: redemption.id, status: 'cancelled', points, balance: booked!.balanceAfter, cancelled_at: now.toISOString() },
    }
  })
}

async function cancelledAnswer(tx: Tx, redemption: Redemption): Promise<CancelAnswer> {
  const [restore] = await tx.query<{ balance_after: string }>(sql('postgres/queries/points/find-redemption-restore'), [
    redemption.member_id,
    redemption.id,
  ])
  return {
    redemption_id: redemption.id,
    status: 'cancelled',
    points: Number(redemption.points),
    balance: Number(restore!.balance_after),
    cancelled_at: redemption.cancelled_at!.toISOString(),
  }
}
