/**
 * The one way points move (docs/points.md). Every change is an append-only ledger entry with
 * the balance after it, booked in the caller's transaction after lockAccounts:
 * - a positive entry first pays off any debt (a balance below zero, left by a return whose
 *   points were already spent), then opens a lot for the rest (`openLot`), or puts it back
 *   into the lots a redemption drew (`restore`), or, when the caller moved lots in itself
 *   (a merge), draws the paid-off part from those lots;
 * - a negative entry draws lots: the caller's `draws` exactly (expiry), else `preferLots`
 *   first (a return: its sale's lot), then soonest expiry; what the lots cannot cover leaves
 *   the balance below zero, so callers that must not overdraw (redemptions, staff
 *   adjustments) check `usablePoints` first.
 * Invariant, checked by the tests: balance = Σ ledger points, and Σ lots' remaining =
 * max(balance, 0).
 */
import type { Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { drawOrder, expiryDate, type Lot } from './lots'

export type LedgerKind = 'earn' | 'redeem' | 'reverse' | 'expire' | 'adjust' | 'restore' | 'merge_in' | 'merge_out'
export type SourceType = 'swipe' | 'redemption' | 'campaign' | 'staff' | 'system' | 'member'

/** A locked points account, as booking changes it; save happens inside book(). */
export interface Account {
  memberId: string
  balance: number
  tier: string | null
  tierFloor: string | null
  /** Set when the tier changed in this transaction (written by book or saveAccounts). */
  tierSince?: Date
}

export interface Posting {
  memberId: string
  kind: LedgerKind
  /** Signed: positive adds to the balance. Zero is allowed (a swipe that earned nothing). */
  points: number
  reason: string
  source: { type: SourceType; id?: string | null }
  storeId?: string | null
  txnId?: string | null
  /** When it happened (a swipe's occurred_at); an earn's lot expires from here. */
  occurredAt: Date
  detail?: unknown
  /** Positive postings: open a lot (default for earn and adjust). */
  openLot?: boolean
  /** Positive postings: put the points back into these lots (a cancelled redemption's draws). */
  restore?: { lotId: string; points: number }[]
  /** Negative postings: exactly these draws (expiry). */
  draws?: { lotId: string; points: number }[]
  /** Negative postings: draw these lots first (a return: its sale's lot). */
  preferLots?: string[]
}

export interface Booked {
  ledgerId: string
  balanceAfter: number
  /** Lots drawn by a negative posting, for the caller's record (a redemption's cancel). */
  draws: { lotId: string; points: number }[]
  /** The lot a positive posting opened, if any. */
  lotId?: string
}

export interface BookOptions {
  expiryMonths: number
  /** Where ids come from: an app's IdPool (no round trip per booking), else reserved now. */
  ids?: IdPool
}

interface LotState extends Lot {
  member_id: string
}

/** Locks the members' accounts in member id order (creating missing ones); by member id. */
export async function lockAccounts(tx: Tx, memberIds: string[]): Promise<Map<string, Account>> {
  const ids = [...new Set(memberIds)].sort()
  const rows = await tx.query<{ member_id: string; balance: string; tier: string | null; tier_floor: string | null }>(
    sql('postgres/queries/points/lock-accounts'),
    [ids],
  )
  return new Map(rows.map((r) => [r.member_id, { memberId: r.member_id, balance: Number(r.balance), tier: r.tier, tierFloor: r.tier_floor }]))
}

/** Points a redemption may draw now: the remaining of lots not yet expired at `asOf`. */
export async function usablePoints(tx: Tx, memberId: string, asOf: Date): Promise<number> {
  const lots = await openLots(tx, [memberId], [])
  return lots.filter((l) => Date.parse(l.expires_at) > asOf.getTime()).reduce((sum, l) => sum + l.remaining, 0)
}

/**
 * Books postings, in order, against accounts locked by lockAccounts, and saves the accounts
 * (balance and tier). A fixed number of statements whatever the number of postings.
 */
export async function book(tx: Tx, accounts: Map<string, Account>, postings: Posting[], opts: BookOptions): Promise<Booked[]> {
  if (postings.length === 0) return []
  const needLots = [...new Set(postings.filter(needsLotState).map((p) => p.memberId))]
  const restoreLots = postings.flatMap((p) => p.restore?.map((r) => r.lotId) ?? [])
  const lots = needLots.length ? await openLots(tx, needLots, restoreLots) : []
  const newLots = postings.filter((p) => p.points > 0 && opensLot(p)).length
  const ids = await (opts.ids ?? ONE_OFF).take(tx, postings.length + newLots)
  const plan = planBooking(accounts, postings, lots, { ...opts, ledgerIds: ids.slice(0, postings.length), lotIds: ids.slice(postings.length) })
  await tx.query(sql('postgres/queries/points/insert-ledger'), [JSON.stringify(plan.entries)])
  if (plan.newLots.length) await tx.query(sql('postgres/queries/points/insert-lots'), [JSON.stringify(plan.newLots)])
  if (plan.remaining.size) {
    const rows = [...plan.remaining].map(([id, remaining]) => ({ id, remaining }))
    await tx.query(sql('postgres/queries/points/set-lots-remaining'), [JSON.stringify(rows)])
  }
  if (plan.draws.length) await tx.query(sql('postgres/queries/points/insert-lot-draws'), [JSON.stringify(plan.draws)])
  await saveAccounts(tx, [...new Set(postings.map((p) => p.memberId))].map((id) => accounts.get(id)!))
  return plan.booked
}

/** Writes accounts' balance and tier (book does this itself; for tier-only changes). */
export async function saveAccounts(tx: Tx, accounts: Account[]): Promise<void> {
  if (accounts.length === 0) return
  const rows = accounts.map((a) => ({
    member_id: a.memberId,
    balance: a.balance,
    tier: a.tier,
    tier_floor: a.tierFloor,
    tier_since: a.tierSince?.toISOString() ?? null,
  }))
  // tier_since: keep the stored one unless the tier changed now.
  await tx.query(sql('postgres/queries/points/save-accounts'), [JSON.stringify(rows)])
}

const ID_BLOCK = 1024n

/** Hands out ledger and lot ids from blocks of 1,024 reserved in points_id_blocks. */
export interface IdPool {
  take(tx: Tx, count: number): Promise<string[]>
}

/**
 * An app's id pool (one per database): it keeps the rest of each reserved block for the next
 * bookings, so the swipe path reserves ids once per thousand entries, not once per group.
 * Ids of a rolled-back booking are simply never used.
 */
export function createIdPool(): IdPool {
  const ranges: { next: bigint; end: bigint }[] = []
  const available = () => ranges.reduce((n, r) => n + Number(r.end - r.next), 0)
  return {
    async take(tx, count) {
      // Re-checked after each await: concurrent bookings share the pool.
      while (available() < count) {
        const blocks = Math.ceil((count - available()) / Number(ID_BLOCK)) + 1
        const [row] = await tx.query<{ blocks: string[] }>(sql('postgres/queries/points/next-ids'), [blocks])
        for (const block of row!.blocks) ranges.push({ next: BigInt(block) * ID_BLOCK, end: (BigInt(block) + 1n) * ID_BLOCK })
      }
      const ids: string[] = []
      while (ids.length < count) {
        const range = ranges[0]!
        ids.push(String(range.next++))
        if (range.next === range.end) ranges.shift()
      }
      return ids
    },
  }
}

/** Without an app's pool: reserve what this booking needs, and leave the rest of the block. */
const ONE_OFF: IdPool = {
  async take(tx, count) {
    const [row] = await tx.query<{ blocks: string[] }>(sql('postgres/queries/points/next-ids'), [Math.ceil(count / Number(ID_BLOCK))])
    const ids: string[] = []
    for (const block of row!.blocks) {
      for (let i = 0n; i < ID_BLOCK && ids.length < count; i++) ids.push(String(BigInt(block) * ID_BLOCK + i))
    }
    return ids
  },
}

const opensLot = (p: Posting) => p.openLot ?? (p.kind === 'earn' || p.kind === 'adjust')
// Every negative posting draws lots, exact `draws` included: a lot not loaded here is not drawn.
const needsLotState = (p: Posting) => p.points < 0 || (p.points > 0 && (!!p.restore || !opensLot(p)))

async function openLots(tx: Tx, memberIds: string[], alsoLots: string[]): Promise<LotState[]> {
  const rows = await tx.query<{ id: string; member_id: string; earned_at: Date; expires_at: Date; remaining: string }>(
    sql('postgres/queries/points/open-lots'),
    [memberIds, alsoLots],
  )
  return rows.map((r) => ({
    id: r.id,
    member_id: r.member_id,
    earned_at: r.earned_at.toISOString(),
    expires_at: r.expires_at.toISOString(),
    remaining: Number(r.remaining),
  }))
}

interface Plan {
  entries: object[]
  newLots: object[]
  /** Lot id → remaining after this booking, for lots that existed before it. */
  remaining: Map<string, number>
  draws: { ledger_id: string; lot_id: string; points: number }[]
  booked: Booked[]
}

/** The pure part of book(): what to write, given the accounts and their open lots. */
export function planBooking(
  accounts: Map<string, Account>,
  postings: Posting[],
  lots: LotState[],
  opts: BookOptions & { ledgerIds: string[]; lotIds: string[] },
): Plan {
  const plan: Plan = { entries: [], newLots: [], remaining: new Map(), draws: [], booked: [] }
  const lotsOf = new Map<string, LotState[]>()
  for (const lot of lots) lotsOf.set(lot.member_id, [...(lotsOf.get(lot.member_id) ?? []), lot])
  let nextLot = 0
  postings.forEach((p, i) => {
    if (!Number.isSafeInteger(p.points)) throw new RangeError(`points must be a whole number: ${p.points}`)
    const account = accounts.get(p.memberId)
    if (!account) throw new Error(`account ${p.memberId} was not locked before booking`)
    const ledgerId = opts.ledgerIds[i]!
    const memberLots = lotsOf.get(p.memberId) ?? []
    const booked: Booked = { ledgerId, balanceAfter: 0, draws: [] }
    const draw = (points: number, order: LotState[]) => {
      let owed = points
      for (const lot of order) {
        if (owed === 0) break
        const take = Math.min(owed, lot.remaining)
        if (take <= 0) continue
        lot.remaining -= take
        owed -= take
        plan.remaining.set(lot.id, lot.remaining)
        plan.draws.push({ ledger_id: ledgerId, lot_id: lot.id, points: take })
        booked.draws.push({ lotId: lot.id, points: take })
      }
    }
    if (p.points > 0) {
      const payoff = Math.min(p.points, Math.max(0, -account.balance))
      const kept = p.points - payoff
      if (p.restore) {
        let left = kept
        for (const r of p.restore) {
          const lot = memberLots.find((l) => l.id === r.lotId)
          const back = Math.min(left, r.points)
          if (!lot || back <= 0) continue
          lot.remaining += back
          left -= back
          plan.remaining.set(lot.id, lot.remaining)
        }
      } else if (opensLot(p)) {
        if (kept > 0) {
          const lot: LotState = {
            id: opts.lotIds[nextLot++]!,
            member_id: p.memberId,
            earned_at: p.occurredAt.toISOString(),
            expires_at: expiryDate(p.occurredAt, opts.expiryMonths).toISOString(),
            remaining: kept,
          }
          plan.newLots.push({ ...lot, ledger_id: ledgerId, points: kept })
          memberLots.push(lot)
          lotsOf.set(p.memberId, memberLots)
          booked.lotId = lot.id
        }
      } else if (payoff > 0) {
        draw(payoff, drawOrder(memberLots) as LotState[])
      }
    } else if (p.points < 0) {
      if (p.draws) {
        for (const d of p.draws) draw(d.points, memberLots.filter((l) => l.id === d.lotId))
      } else {
        // A redemption spends only points still valid when it happens; a reversal or an
        // adjustment may also take points that expired but were not yet swept.
        const usable = p.kind === 'redeem' ? memberLots.filter((l) => Date.parse(l.expires_at) > p.occurredAt.getTime()) : memberLots
        const preferred = usable.filter((l) => p.preferLots?.includes(l.id))
        const rest = drawOrder(usable.filter((l) => !p.preferLots?.includes(l.id))) as LotState[]
        draw(-p.points, [...preferred, ...rest])
      }
    }
    account.balance += p.points
    booked.balanceAfter = account.balance
    plan.booked.push(booked)
    plan.entries.push({
      id: ledgerId,
      member_id: p.memberId,
      kind: p.kind,
      points: p.points,
      balance_after: account.balance,
      reason: p.reason,
      source_type: p.source.type,
      source_id: p.source.id ?? null,
      store_id: p.storeId ?? null,
      txn_id: p.txnId ?? null,
      occurred_at: p.occurredAt.toISOString(),
      detail: p.detail ?? null,
    })
  })
  return plan
}

