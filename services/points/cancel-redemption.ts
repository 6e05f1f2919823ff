/**
 * Cancelling a redemption (the sale it paid for was voided): a 'restore' entry puts the
 * points back into the very lots the redemption drew, with their own expiry dates, and the
 * redemption is marked cancelled. Cancelling again answers the first cancel and moves nothing.
 */
import { AppError } from '../platform/http/errors'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { bookExpiredLots } from './expire-points'
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
  /** Of `points`, those whose lots had expired meanwhile: they expired again at once. */
  expired: number
  /** The balance after the cancel. */
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
    const restored = restoredPerLot(draws, points, accounts.get(redemption.member_id)!.balance)
    await book(
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
    // Points back in a lot that has expired since are not usable: they expire at once, dated
    // now, so the balance shows what can be spent and breakage never restates a past month.
    // Only what this cancel put back: what such a lot held already is the sweep's to expire.
    const expired = await bookExpiredLots(tx, accounts, [redemption.member_id], now, {
      expiryMonths: deps.expiryMonths,
      source: { type: 'redemption', id: redemption.id },
      reason: 'restored into lots that had expired',
      occurredAt: now,
      onlyLots: restored,
    })
    await tx.query(sql('postgres/queries/points/cancel-redemption'), [redemption.id, now])
    const answer: CancelAnswer = {
      redemption_id: redemption.id,
      status: 'cancelled',
      points,
      expired: -expired.reduce((sum, p) => sum + p.points, 0),
      balance: accounts.get(redemption.member_id)!.balance,
      cancelled_at: now.toISOString(),
    }
    return { status: 'cancelled', answer }
  })
}

/**
 * How many points the restore puts back into each drawn lot: the ledger first pays off any
 * debt, then refills the draws in order. Keep in sync with planBooking's `restore` (ledger.ts).
 */
function restoredPerLot(draws: { lot_id: string; points: string }[], points: number, balanceBefore: number): Map<string, number> {
  let left = points - Math.min(points, Math.max(0, -balanceBefore))
  const restored = new Map<string, number>()
  for (const d of draws) {
    const back = Math.min(left, Number(d.points))
    if (back <= 0) continue
    left -= back
    restored.set(d.lot_id, (restored.get(d.lot_id) ?? 0) + back)
  }
  return restored
}

async function cancelledAnswer(tx: Tx, redemption: Redemption): Promise<CancelAnswer> {
  const [cancel] = await tx.query<{ balance_after: string; expired: string }>(sql('postgres/queries/points/find-redemption-cancel'), [
    redemption.member_id,
    redemption.id,
  ])
  return {
    redemption_id: redemption.id,
    status: 'cancelled',
    points: Number(redemption.points),
    expired: Number(cancel!.expired),
    balance: Number(cancel!.balance_after),
    cancelled_at: redemption.cancelled_at!.toISOString(),
  }
}
