/**
 * A return takes back exactly the points the returned goods earned, never a pro-rata share
 * of the basket, and never more or less than the sale earned in all.
 *
 * Lines: returns name SKUs, not line numbers, so a sale's lines are pooled by SKU: P points
 * earned over Q units (quantity in 10^-3 units). After r units were returned before, a
 * return of q units reverses floor(P·(r + q) / Q) − floor(P·r / Q). The sum telescopes:
 * returning all Q units in any number of steps reverses exactly P.
 *
 * Bonuses are reversed at most once, by the return after which the basket no longer meets
 * the bonus's condition:
 * - a SKU bonus, when every unit of that SKU has been returned;
 * - a basket-total bonus, when the kept value (the sale's amount minus everything refunded
 *   so far) falls below the threshold;
 * - any bonus, when every unit of the sale has been returned (nothing kept, nothing earned,
 *   even if the till refunded less than it charged).
 * Each test is on the state before and after this return, so the answer needs no memory of
 * earlier reversals beyond the quantities and amounts already returned.
 */
import type { NormalizedLine, NormalizedSwipe } from '../ingest/swipe-rules'
import { SCALE } from '../ingest/swipe.schemas'
import { toPoints, unitsOf } from './decimal.schemas'
import type { AwardedBonus, BreakdownEntry, SwipeScore } from './score-swipe'

/** What the ledger must keep of each sale for its returns to be reversed exactly. */
export interface EarnedSale {
  txn_id: string
  /** The sale's net amount (money, 2 dp): Σ line amounts. */
  amount: string
  lines: { line_no: number; sku: string; quantity: string; points: number }[]
  bonuses: AwardedBonus[]
}

/** Quantity and amount returned so far for one SKU (as ingest's checkReturn tracks them). */
export interface Returned {
  quantity: string
  amount: string
}

export interface ReturnReversal {
  /** Points to take back (positive; the ledger books it as a negative entry). */
  total: number
  /** One entry per SKU returned, in order of first appearance in the return. */
  lines: { sku: string; points: number }[]
  bonuses: BreakdownEntry[]
}

type ReturnLine = Pick<NormalizedLine, 'sku' | 'quantity' | 'amount'>

interface State {
  refunded: bigint
  quantities: Map<string, bigint>
}

/** The record to store with a sale's ledger entry: its per-line points and quantities. */
export function earnedSale(swipe: NormalizedSwipe, score: SwipeScore): EarnedSale {
  return {
    txn_id: swipe.txn_id,
    amount: swipe.total,
    lines: swipe.lines.map((line, i) => ({
      line_no: line.line_no,
      sku: line.sku,
      quantity: line.quantity,
      points: score.lines[i]!.points,
    })),
    bonuses: score.bonuses,
  }
}

/** The points a return takes back, given what was returned from the same sale before it. */
export function reverseReturn(
  sale: EarnedSale,
  returnedBefore: ReadonlyMap<string, Returned>,
  returning: readonly ReturnLine[],
): ReturnReversal {
  const sold = pooledBySku(sale.lines)
  const before = stateOf(returnedBefore)
  const now = sumBySku(returning)
  const after = advance(before, now)
  const lines = [...now.keys()].map((sku) => {
    const pool = sold.get(sku)
    if (!pool) throw new RangeError(`${sku} was not in sale ${sale.txn_id}`)
    const r = before.quantities.get(sku) ?? 0n
    const rq = after.quantities.get(sku)!
    if (rq > pool.quantity) throw new RangeError(`returns more ${sku} than sale ${sale.txn_id} had`)
    return { sku, points: toPoints(share(pool, rq) - share(pool, r)) }
  })
  const bonuses = sale.bonuses
    .filter((b) => kept(b, sale, sold, before) && !kept(b, sale, sold, after))
    .map(({ rule_id, name, points }) => ({ rule_id, name, points }))
  const total = [...lines, ...bonuses].reduce((sum, entry) => sum + entry.points, 0)
  return { total, lines, bonuses }
}

interface Pool {
  points: bigint
  quantity: bigint
}

/** floor(P·r / Q): the points the first r of Q units account for. */
const share = (pool: Pool, r: bigint) => (pool.points * r) / pool.quantity

function kept(bonus: AwardedBonus, sale: EarnedSale, sold: Map<string, Pool>, state: State): boolean {
  const allReturned = [...sold].every(([sku, pool]) => (state.quantities.get(sku) ?? 0n) >= pool.quantity)
  if (allReturned) return false
  const c = bonus.condition
  if (c.type === 'sku') return (state.quantities.get(c.sku) ?? 0n) < (sold.get(c.sku)?.quantity ?? 0n)
  return unitsOf(sale.amount, SCALE.money) - state.refunded >= unitsOf(c.min_total, SCALE.money)
}

function pooledBySku(lines: EarnedSale['lines']): Map<string, Pool> {
  const pools = new Map<string, Pool>()
  for (const line of lines) {
    const pool = pools.get(line.sku) ?? { points: 0n, quantity: 0n }
    pool.points += BigInt(line.points)
    pool.quantity += unitsOf(line.quantity, SCALE.quantity)
    pools.set(line.sku, pool)
  }
  return pools
}

function sumBySku(lines: readonly ReturnLine[]): Map<string, { quantity: bigint; amount: bigint }> {
  const sums = new Map<string, { quantity: bigint; amount: bigint }>()
  for (const line of lines) {
    const s = sums.get(line.sku) ?? { quantity: 0n, amount: 0n }
    s.quantity += unitsOf(line.quantity, SCALE.quantity)
    s.amount += unitsOf(line.amount, SCALE.money)
    sums.set(line.sku, s)
  }
  return sums
}

function stateOf(returned: ReadonlyMap<string, Returned>): State {
  const state: State = { refunded: 0n, quantities: new Map() }
  for (const [sku, r] of returned) {
    state.quantities.set(sku, unitsOf(r.quantity, SCALE.quantity))
    state.refunded += unitsOf(r.amount, SCALE.money)
  }
  return state
}

function advance(state: State, now: Map<string, { quantity: bigint; amount: bigint }>): State {
  const quantities = new Map(state.quantities)
  let refunded = state.refunded
  for (const [sku, n] of now) {
    quantities.set(sku, (quantities.get(sku) ?? 0n) + n.quantity)
    refunded += n.amount
  }
  return { refunded, quantities }
}
