/**
 * Points are kept in lots, one per earn, each with its own expiry. Redemptions draw the
 * lots that expire first, so a member never loses points that a redemption could have used.
 *
 * Expiry: points earned at any moment of UTC day D expire `months` calendar months later,
 * at the end of that day; the day is clamped to the month's length (2026-01-31 + 1 month
 * is 2026-02-28). `expires_at` is the first instant they can no longer be used, i.e. the
 * midnight UTC that ends that day (2026-03-01T00:00:00.000Z). A lot with
 * expires_at ≤ asOf has expired.
 */

/** One earn's points, as the ledger keeps them. `remaining` is a whole number of points. */
export interface Lot {
  id: string
  earned_at: string
  expires_at: string
  remaining: number
}

/** Points drawn from, or expiring in, one lot. */
export interface LotPoints {
  lot_id: string
  points: number
}

export type Allocation =
  | { ok: true; allocations: LotPoints[] }
  | { ok: false; reason: 'insufficient_balance'; requested: number; available: number }

const DAY_MS = 86_400_000
const ms = (iso: string) => Date.parse(iso)

/** Lots in the order redemptions draw them: sooner expiry, then earlier earn, then id. */
export function drawOrder(lots: readonly Lot[]): Lot[] {
  return [...lots].sort((a, b) => ms(a.expires_at) - ms(b.expires_at) || ms(a.earned_at) - ms(b.earned_at) || compareIds(a.id, b.id))
}

/** Ids compare as numbers when both are (the ledger's are bigint text: "9216" before "10240"). */
function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Draws `points` from the lots that expire first. All or nothing: when the usable balance is
 * short, nothing is drawn. With `asOf`, lots already expired then are not drawn, even if
 * the expiry job has not yet swept them.
 */
export function allocateRedemption(lots: readonly Lot[], points: number, opts: { asOf?: Date } = {}): Allocation {
  assertPoints(points)
  const usable = drawOrder(lots).filter((lot) => lot.remaining > 0 && !expired(lot, opts.asOf))
  const available = usable.reduce((sum, lot) => sum + lot.remaining, 0)
  if (available < points) return { ok: false, reason: 'insufficient_balance', requested: points, available }
  const allocations: LotPoints[] = []
  let owed = points
  for (const lot of usable) {
    if (owed === 0) break
    const take = Math.min(owed, lot.remaining)
    allocations.push({ lot_id: lot.id, points: take })
    owed -= take
  }
  return { ok: true, allocations }
}

const expired = (lot: Lot, asOf: Date | undefined) => asOf !== undefined && ms(lot.expires_at) <= asOf.getTime()

/** The points that expire by `asOf`: the remaining of every lot with expires_at ≤ asOf. */
export function expireLots(lots: readonly Lot[], asOf: Date): LotPoints[] {
  return drawOrder(lots)
    .filter((lot) => lot.remaining > 0 && expired(lot, asOf))
    .map((lot) => ({ lot_id: lot.id, points: lot.remaining }))
}

/** Points expiring after `from` and up to `days` days later, soonest first, for reminders. */
export function expiringSoon(
  lots: readonly Lot[],
  from: Date,
  days: number,
): { total: number; lots: (LotPoints & { expires_at: string })[] } {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a whole number ≥ 0')
  const start = from.getTime()
  const end = start + days * DAY_MS
  const soon = drawOrder(lots)
    .filter((lot) => lot.remaining > 0 && ms(lot.expires_at) > start && ms(lot.expires_at) <= end)
    .map((lot) => ({ lot_id: lot.id, points: lot.remaining, expires_at: lot.expires_at }))
  return { total: soon.reduce((sum, lot) => sum + lot.points, 0), lots: soon }
}

/** When points earned at `earnedAt` expire: the end of the UTC day `months` calendar months on. */
export function expiryDate(earnedAt: Date, months: number): Date {
  if (!Number.isInteger(months) || months < 1) throw new RangeError('months must be a whole number ≥ 1')
  const monthIndex = earnedAt.getUTCFullYear() * 12 + earnedAt.getUTCMonth() + months
  const year = Math.floor(monthIndex / 12)
  const month = monthIndex % 12
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  const day = Math.min(earnedAt.getUTCDate(), lastDay)
  // Midnight after the anniversary day: the points are usable for all of that day.
  return new Date(Date.UTC(year, month, day + 1))
}

function assertPoints(points: number): void {
  if (!Number.isSafeInteger(points) || points < 0) throw new RangeError(`cannot redeem ${points} points`)
}
