/**
 * Points as tender at the till (docs/points.md, "Redemptions"): one transaction locks the
 * card and its member's account, checks the points usable now, books a 'redeem' entry
 * (drawing the lots that expire first) and records the redemption under the till's request
 * id. A retry with the same request id gets the first answer and moves nothing.
 */
import crypto from 'node:crypto'
import { maskCardNumber } from '../ingest/card-number'
import { AppError } from '../platform/http/errors'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { publicId } from '../stores/api-keys'
import { book, usablePoints, type Account } from './ledger'
import { InsufficientPointsError, isUniqueViolation } from './points.errors'
import type { RedeemRequest } from './points.schemas'

export interface RedeemDeps {
  pg: Postgres
  clock: () => Date
  expiryMonths: number
  /** How far ahead of the platform's clock a till's occurred_at may be, in seconds. */
  skewSeconds: number
}

export interface RedemptionAnswer {
  redemption_id: string
  request_id: string
  card: string
  points: number
  /** The balance right after this redemption (a replay repeats it, whatever happened since). */
  balance: number
  occurred_at: string
}

export type RedeemOutcome = { status: 'created' | 'replayed'; answer: RedemptionAnswer }

interface Existing {
  id: string
  card_number: string
  points: string
  balance_after: string
  occurred_at: Date
  request_hash: string | null
}

/** Redeems `request.points` from the member behind the card, for the till's store. */
export async function redeemPoints(deps: RedeemDeps, storeId: string, request: RedeemRequest): Promise<RedeemOutcome> {
  const now = deps.clock()
  const occurredAt = request.occurred_at ? new Date(request.occurred_at) : now
  if (occurredAt.getTime() > now.getTime() + deps.skewSeconds * 1000) {
    throw AppError.badRequest('occurred_at is in the future', [{ path: '$.occurred_at', message: `must not be after ${now.toISOString()}` }])
  }
  const hash = requestHash(request)
  try {
    return await deps.pg.transaction(async (tx) => {
      const [existing] = await tx.query<Existing>(sql('postgres/queries/points/find-redemption-by-request'), [storeId, request.request_id])
      if (existing) return replay(existing, request, hash)
      return { status: 'created', answer: await redeem(tx, deps, { storeId, request, hash, now, occurredAt }) }
    })
  } catch (error) {
    // The same request id posted twice at once: the loser answers from the winner's row.
    if (!isUniqueViolation(error, 'redemptions_store_id_request_id_key')) throw error
    const [existing] = await deps.pg.query<Existing>(sql('postgres/queries/points/find-redemption-by-request'), [storeId, request.request_id])
    return replay(existing!, request, hash)
  }
}

async function redeem(
  tx: Tx,
  deps: RedeemDeps,
  input: { storeId: string; request: RedeemRequest; hash: string; now: Date; occurredAt: Date },
): Promise<RedemptionAnswer> {
  const { request, storeId } = input
  const account = await redeemingAccount(tx, request.card_number, input.now)
  const memberId = account.memberId
  const accounts = new Map([[memberId, account]])
  // The ledger draws lots valid at occurred_at; checking at the later of it and now never
  // promises points the draw cannot find.
  const asOf = new Date(Math.max(input.now.getTime(), input.occurredAt.getTime()))
  const available = await usablePoints(tx, memberId, asOf)
  if (available < request.points) throw new InsufficientPointsError(request.points, available)
  const redemptionId = publicId('red')
  const [booked] = await book(
    tx,
    accounts,
    [
      {
        memberId,
        kind: 'redeem',
        points: -request.points,
        reason: 'redeemed at the till',
        source: { type: 'redemption', id: redemptionId },
        storeId,
        occurredAt: input.occurredAt,
        detail: { request_id: request.request_id, request_hash: input.hash },
      },
    ],
    { expiryMonths: deps.expiryMonths },
  )
  await tx.query(sql('postgres/queries/points/insert-redemption'), [
    redemptionId,
    storeId,
    request.request_id,
    memberId,
    request.card_number,
    request.points,
    booked!.ledgerId,
    input.now,
  ])
  return answer(redemptionId, request.request_id, request.card_number, request.points, booked!.balanceAfter, input.occurredAt)
}

/** Times the card is locked again when a merge re-pointed it meanwhile (each a new snapshot). */
const CARD_LOCK_ATTEMPTS = 3

/**
 * The locked account of the member who may spend the card's points. Anonymous cards may not:
 * their points are kept, but only a registered member can have a lost card blocked, so only
 * they can spend. The card is locked with the account (lock-card-accounts.sql, the swipe
 * path's lock), so a merge that moved it meanwhile makes the row drop out and the next
 * attempt finds the member it was merged into, not the emptied account.
 */
async function redeemingAccount(tx: Tx, cardNumber: string, now: Date): Promise<Account> {
  for (let attempt = 1; ; attempt++) {
    const [card] = await tx.query<{ card_status: string; member_id: string; member_status: string; balance: string; tier: string | null; tier_floor: string | null }>(
      sql('postgres/queries/points/lock-card-accounts'),
      [[cardNumber], now.toISOString().slice(0, 10)],
    )
    if (card) {
      checkCanRedeem(card)
      return { memberId: card.member_id, balance: Number(card.balance), tier: card.tier, tierFloor: card.tier_floor }
    }
    const [known] = await tx.query(sql('postgres/queries/points/card-exists'), [cardNumber])
    if (!known) throw new AppError(404, 'card_not_found', 'no member has this card')
    if (attempt === CARD_LOCK_ATTEMPTS) throw new AppError(409, 'conflict', 'the card kept moving to another member; try again', [], true)
  }
}

function checkCanRedeem(card: { card_status: string; member_status: string }): void {
  if (card.card_status === 'blocked') throw new AppError(409, 'card_blocked', 'this card is blocked')
  if (card.member_status === 'anonymous') {
    throw new AppError(409, 'registration_required', 'points on an unregistered card are spent once its holder registers')
  }
  if (card.member_status !== 'active') throw new AppError(409, 'member_not_eligible', `the card's member is ${card.member_status}`)
}

function replay(existing: Existing, request: RedeemRequest, hash: string): RedeemOutcome {
  if (existing.request_hash !== hash) {
    throw new AppError(409, 'request_id_conflict', `request_id ${request.request_id} was used for a different redemption`)
  }
  return {
    status: 'replayed',
    answer: answer(existing.id, request.request_id, existing.card_number, Number(existing.points), Number(existing.balance_after), existing.occurred_at),
  }
}

const answer = (id: string, requestId: string, card: string, points: number, balance: number, at: Date): RedemptionAnswer => ({
  redemption_id: id,
  request_id: requestId,
  card: maskCardNumber(card),
  points,
  balance,
  occurred_at: at.toISOString(),
})

/** What makes two posts the same redemption: card, points and (if given) occurred_at. */
function requestHash(request: RedeemRequest): string {
  const at = request.occurred_at ? new Date(request.occurred_at).toISOString() : null
  return crypto.createHash('sha256').update(JSON.stringify([request.card_number, request.points, at])).digest('hex')
}
