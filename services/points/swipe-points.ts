/**
 * The points side of recording swipes, inside the journal's transaction (record-swipes.ts):
 * a sale earns by the rules in force at its occurred_at and the member's tier, a return takes
 * back exactly what its lines earned. Both move the rolling 12-month spend that tiers follow:
 * a sale can upgrade at once; a return can undo an upgrade, never below the tier held at the
 * last review (tier_floor). A fixed number of statements per write group, not per swipe.
 */
import type { NormalizedSwipe } from '../ingest/swipe-rules'
import { SCALE } from '../ingest/swipe.schemas'
import { formatScaled } from '../platform/decimal'
import type { Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { unitsOf } from './decimal.schemas'
import { book, saveAccounts, type Account, type IdPool, type Posting } from './ledger'
import type { Programme, ProgrammeLoader } from './programme'
import { earnedSale, reverseReturn, type EarnedSale, type Returned } from './reverse-return'
import { scoreSwipe, type AwardedBonus, type BreakdownEntry } from './score-swipe'
import { evaluateTierChange, tierForSpend } from './tiers'

export interface PointsContext {
  loadProgramme: ProgrammeLoader
  expiryMonths: number
  now: Date
  /** False: nothing is booked (POINTS_SCORING=off); cards still get their members. */
  scoring: boolean
  /** The app's ledger id pool (ledger.ts). */
  ids?: IdPool
}

/** What the till is told about points, stored with the swipe's answer (a retry gets it again). */
export type SwipePoints = {
  points: { earned: number; breakdown: BreakdownEntry[] } | { reversed: number; breakdown: ReversalEntry[] }
  balance: number
  tier: string | null
  /** Present when the card is blocked: the swipe is kept, but earns nothing. */
  card_status?: 'blocked'
}
export type ReversalEntry = { sku: string; points: number } | { rule_id: string; name: string; points: number }

/** Raised when a concurrent merge moved a card between our read and our lock: retry. */
export class RetryableConflict extends Error {
  readonly code = '40001'
}

interface CardAccount {
  cardStatus: string
  account: Account
  /** The member's net spend over the rolling 12 months, in cents, before this booking. */
  spend12m: bigint
  /** The last day outside those 12 months (YYYY-MM-DD), as Postgres counts it. */
  windowStart: string
}

interface Booking {
  accounts: Map<string, Account>
  /** Each member's balance as the answers so far left it (book() then books the same). */
  running: Map<string, number>
  spend: Map<string, bigint>
  /** Spend on days after this one counts towards the tier (lock-card-accounts.sql). */
  windowStart: string
  postings: Posting[]
  days: { member_id: string; day: string; amount: string }[]
  tierChanges: object[]
  tierOnly: Set<Account>
}

/** The accounts behind a group's cards, locked; made by lockSaleAccounts. */
export type LockedCards = Map<string, CardAccount>

/**
 * Locks the accounts behind the sales' cards, giving a card seen for the first time an
 * anonymous member. Call it before looking the sales up in the journal: a concurrent copy of
 * a sale then either committed already (and is found) or waits for us. Known cards (the
 * usual case) take one statement; unknown ones are created and locked after them, which
 * cannot deadlock with another writer, since nobody else holds a member that did not exist.
 */
export async function lockSaleAccounts(tx: Tx, sales: { storeId: string; swipe: NormalizedSwipe }[], now: Date): Promise<LockedCards> {
  if (sales.length === 0) return new Map()
  const firstStore = new Map<string, string>()
  for (const s of sales) if (!firstStore.has(s.swipe.card_number)) firstStore.set(s.swipe.card_number, s.storeId)
  const cards = [...firstStore.keys()].sort()
  const locked = await lockCards(tx, cards, now)
  const missing = cards.filter((c) => !locked.has(c))
  if (missing.length === 0) return locked
  await tx.query(sql('postgres/queries/points/ensure-cards'), [missing, missing.map((c) => firstStore.get(c))])
  const added = await lockCards(tx, missing, now)
  if (added.size !== missing.length) throw new RetryableConflict('a new card moved to another member while its swipe was written')
  // A card can lead to a member already locked above (it was attached meanwhile): one account object each.
  const byMember = new Map([...locked.values()].map((c) => [c.account.memberId, c.account]))
  for (const [card, c] of added) locked.set(card, { ...c, account: byMember.get(c.account.memberId) ?? c.account })
  return locked
}

/** Books the points of new sales (in order), on accounts lockSaleAccounts locked; each one's answer, by index. */
export async function bookSales(
  tx: Tx,
  byCard: LockedCards,
  sales: { storeId: string; swipe: NormalizedSwipe }[],
  programme: Programme,
  ctx: PointsContext,
): Promise<SwipePoints[]> {
  if (sales.length === 0) return []
  const b = startBooking(byCard)
  const answers = sales.map(({ storeId, swipe }) => {
    const { cardStatus, account } = byCard.get(swipe.card_number)!
    if (cardStatus === 'blocked') return answer(b, account, { earned: 0, breakdown: [] }, 'blocked')
    const score = scoreSwipe(swipe, { rules: programme.rules, tier: account.tier })
    if (score.total > 0) {
      b.postings.push({
        memberId: account.memberId,
        kind: 'earn',
        points: score.total,
        reason: 'purchase',
        source: { type: 'swipe', id: `${storeId}/${swipe.txn_id}` },
        storeId,
        txnId: swipe.txn_id,
        occurredAt: new Date(swipe.occurred_at),
        detail: { line_points: score.lines.map((l) => l.points), bonuses: score.bonuses, breakdown: score.breakdown, tier: account.tier } satisfies EarnDetail,
      })
      b.running.set(account.memberId, b.running.get(account.memberId)! + score.total)
    }
    addSpend(b, account, swipe.occurred_at, unitsOf(swipe.total, SCALE.money))
    upgradeTier(b, account, programme, ctx.now)
    return answer(b, account, { earned: score.total, breakdown: score.breakdown })
  })
  await finishBooking(tx, b, ctx)
  return answers
}

/**
 * Books the reversal of one return against its sale (both already checked by ingest), given
 * what was returned from that sale before it.
 */
export async function bookReturn(
  tx: Tx,
  storeId: string,
  ret: NormalizedSwipe,
  sale: NormalizedSwipe,
  returnedBefore: ReadonlyMap<string, Returned>,
  programme: Programme,
  ctx: PointsContext,
): Promise<SwipePoints> {
  const byCard = await lockCards(tx, [ret.card_number], ctx.now)
  if (!byCard.has(ret.card_number)) throw new RetryableConflict('the card of a return moved to another member while it was written')
  const { account } = byCard.get(ret.card_number)!
  const b = startBooking(byCard)
  const [earn] = await tx.query<{ id: string; detail: EarnDetail; lot_ids: string[] }>(sql('postgres/queries/points/find-swipe-earn'), [storeId, sale.txn_id])
  const reversal = earn ? reverseReturn(storedEarn(sale, earn.detail), returnedBefore, ret.lines) : { total: 0, lines: [], bonuses: [] }
  const breakdown: ReversalEntry[] = [...reversal.lines.filter((l) => l.points > 0), ...reversal.bonuses]
  if (reversal.total > 0) {
    b.postings.push({
      memberId: account.memberId,
      kind: 'reverse',
      points: -reversal.total,
      reason: 'return',
      source: { type: 'swipe', id: `${storeId}/${ret.txn_id}` },
      storeId,
      txnId: ret.txn_id,
      occurredAt: new Date(ret.occurred_at),
      detail: { original_txn_id: sale.txn_id, breakdown },
      preferLots: earn!.lot_ids,
    })
    b.running.set(account.memberId, account.balance - reversal.total)
  }
  // The refund leaves the spend of the sale's day, so the rolling window stays exact.
  addSpend(b, account, sale.occurred_at, -unitsOf(ret.total, SCALE.money))
  revertTier(b, account, programme)
  await finishBooking(tx, b, ctx)
  return answer(b, account, { reversed: reversal.total, breakdown })
}

/**
 * What an earn entry keeps for its sale's returns: each line's points (in line order) and the
 * bonuses with their conditions. The lines' SKUs and quantities are in the sale's journal row,
 * which a return holds locked, so they are not stored twice.
 */
interface EarnDetail {
  line_points: number[]
  bonuses: AwardedBonus[]
  breakdown: BreakdownEntry[]
  tier: string | null
}

/** The sale as earnedSale saw it, rebuilt from its journal row and its earn entry. */
function storedEarn(sale: NormalizedSwipe, detail: EarnDetail): EarnedSale {
  const lines = sale.lines.map((line, i) => ({ line_no: line.line_no, points: detail.line_points[i]! }))
  return earnedSale(sale, { total: 0, lines, bonuses: detail.bonuses, breakdown: [] })
}

/** The known cards among `cards`, with their members' accounts locked; unknown cards are absent. */
async function lockCards(tx: Tx, cards: string[], now: Date): Promise<Map<string, CardAccount>> {
  const rows = await tx.query<{
    card_number: string
    card_status: string
    member_id: string
    member_status: string
    balance: string
    tier: string | null
    tier_floor: string | null
    window_start: string
    spend_12m: string
  }>(sql('postgres/queries/points/lock-card-accounts'), [cards, now.toISOString().slice(0, 10)])
  if (rows.some((r) => r.member_status === 'merged')) {
    throw new RetryableConflict('a card moved to another member while its swipe was written')
  }
  const accounts = new Map<string, Account>()
  const byCard = new Map<string, CardAccount>()
  for (const r of rows) {
    let account = accounts.get(r.member_id)
    if (!account) {
      account = { memberId: r.member_id, balance: Number(r.balance), tier: r.tier, tierFloor: r.tier_floor }
      accounts.set(r.member_id, account)
    }
    byCard.set(r.card_number, { cardStatus: r.card_status, account, spend12m: unitsOf(r.spend_12m, SCALE.money), windowStart: r.window_start })
  }
  return byCard
}

function startBooking(byCard: Map<string, CardAccount>): Booking {
  const accounts = new Map([...byCard.values()].map(({ account }) => [account.memberId, account]))
  const spend = new Map([...byCard.values()].map(({ account, spend12m }) => [account.memberId, spend12m]))
  const running = new Map([...accounts].map(([id, a]) => [id, a.balance]))
  const windowStart = [...byCard.values()][0]!.windowStart
  return { accounts, running, spend, windowStart, postings: [], days: [], tierChanges: [], tierOnly: new Set<Account>() }
}

async function finishBooking(tx: Tx, b: Booking, ctx: PointsContext): Promise<void> {
  await book(tx, b.accounts, b.postings, { expiryMonths: ctx.expiryMonths, ids: ctx.ids })
  const booked = new Set(b.postings.map((p) => p.memberId))
  await saveAccounts(tx, [...b.tierOnly].filter((a) => !booked.has(a.memberId)))
  if (b.days.length) await tx.query(sql('postgres/queries/points/add-daily-spend'), [JSON.stringify(b.days)])
  if (b.tierChanges.length) await tx.query(sql('postgres/queries/points/insert-tier-changes'), [JSON.stringify(b.tierChanges)])
}

function addSpend(b: Booking, account: Account, occurredAt: string, cents: bigint): void {
  const day = occurredAt.slice(0, 10)
  b.days.push({ member_id: account.memberId, day, amount: formatScaled(cents, SCALE.money) })
  if (day > b.windowStart) b.spend.set(account.memberId, b.spend.get(account.memberId)! + cents)
}

/** Upgrades take effect at once; a member without a tier is placed by spend. */
function upgradeTier(b: Booking, account: Account, programme: Programme, now: Date): void {
  const spend = formatScaled(b.spend.get(account.memberId)!, SCALE.money)
  const { tier, change } = evaluateTierChange(account.tier, spend, { tiers: programme.tiers, downgradeAllowed: false })
  if (change !== 'upgrade' && change !== 'assigned') return
  b.tierChanges.push({ member_id: account.memberId, from_tier: account.tier, to_tier: tier.code, change, spend_12m: spend })
  if (change === 'assigned') account.tierFloor = tier.code
  account.tier = tier.code
  account.tierSince = now
  b.tierOnly.add(account)
}

/** A return can undo an upgrade it paid for, down to the tier held at the last review. */
function revertTier(b: Booking, account: Account, programme: Programme): void {
  if (account.tier === null) return
  const codes = programme.tiers.map((t) => t.code)
  const spend = formatScaled(b.spend.get(account.memberId)!, SCALE.money)
  const supported = codes.indexOf(tierForSpend(spend, programme.tiers).code)
  const target = Math.max(supported, codes.indexOf(account.tierFloor ?? codes[0]!))
  if (target >= codes.indexOf(account.tier)) return
  b.tierChanges.push({ member_id: account.memberId, from_tier: account.tier, to_tier: codes[target]!, change: 'reversal', spend_12m: spend })
  account.tier = codes[target]!
  b.tierOnly.add(account)
}

function answer(b: Booking, account: Account, points: SwipePoints['points'], cardStatus?: 'blocked'): SwipePoints {
  return { points, balance: b.running.get(account.memberId)!, tier: account.tier, ...(cardStatus ? { card_status: cardStatus } : {}) }
}
