// The campaign report's arithmetic (docs/campaigns.md "Report"), pure: exact money on bigint
// cents, Welch's interval on numbers computed from exact sums.
import { formatScaled } from '../platform/decimal'
import { studentTQuantile } from './student-t'

/** One group's per-member sums as ClickHouse returns them (report-groups.sql). */
export interface GroupSums {
  members: number
  /** Σx and Σx² of the per-member figure, exact (revenue: cents, cents²). */
  sum: bigint
  sumSq: bigint
}

/** A difference of per-member means with its 95% interval, or why there is none. */
export interface Increment {
  unit: string
  estimate: number | null
  ci95: { low: number; high: number } | null
  std_error: number | null
  df: number | null
  reason?: string
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places

/** a / b for bigints, rounded half away from zero. */
export function divRound(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero')
  const negative = a < 0n !== b < 0n
  const [n, d] = [a < 0n ? -a : a, b < 0n ? -b : b]
  const q = (2n * n + d) / (2n * d)
  return negative ? -q : q
}

/** Cents as money text ("12.30"). */
export const money = (cents: bigint): string => formatScaled(cents, 2)

/** A group's mean per member in cents, rounded; 0 for an empty group. */
export const meanCents = (g: GroupSums): bigint => (g.members > 0 ? divRound(g.sum, BigInt(g.members)) : 0n)

/** The sample variance (n − 1), from exact sums so no cancellation creeps in. */
function sampleVariance(g: GroupSums): number {
  const n = BigInt(g.members)
  return Number(n * g.sumSq - g.sum * g.sum) / Number(n * (n - 1n))
}

/**
 * Treated mean − holdout mean with Welch's 95% interval: se² = s²_t/n_t + s²_h/n_h, the t
 * quantile at the Welch–Satterthwaite df. `scale` turns the sums' unit into the answer's
 * (100 for cents to money).
 */
export function welch(treated: GroupSums, holdout: GroupSums, unit: string, scale = 1, places = 4): Increment {
  const none = (reason: string, estimate: number | null = null): Increment => ({ unit, estimate, ci95: null, std_error: null, df: null, reason })
  if (treated.members === 0 || holdout.members === 0) return none(holdout.members === 0 ? 'no holdout members' : 'no treated members')
  const diff = (Number(treated.sum) / treated.members - Number(holdout.sum) / holdout.members) / scale
  if (treated.members < 2 || holdout.members < 2) return none('a group has fewer than 2 members: no variance to estimate', round(diff, places))
  const vt = sampleVariance(treated) / treated.members / scale ** 2
  const vh = sampleVariance(holdout) / holdout.members / scale ** 2
  const se = Math.sqrt(vt + vh)
  // Every member alike in both groups: the difference is known exactly, the interval is a point.
  if (se === 0) return { unit, estimate: round(diff, places), ci95: { low: round(diff, places), high: round(diff, places) }, std_error: 0, df: null }
  const df = (vt + vh) ** 2 / (vt ** 2 / (treated.members - 1) + vh ** 2 / (holdout.members - 1))
  const half = studentTQuantile(0.975, df) * se
  return {
    unit,
    estimate: round(diff, places),
    ci95: { low: round(diff - half, places), high: round(diff + half, places) },
    std_error: round(se, places + 2),
    df: round(df, 2),
  }
}

/**
 * Total incremental revenue in cents: (mean_t − mean_h) × n_t = Σx_t − Σx_h · n_t / n_h, exact
 * but for the one rounding to a cent; null without a holdout.
 */
export function incrementalTotalCents(treated: GroupSums, holdout: GroupSums): bigint | null {
  if (treated.members === 0 || holdout.members === 0) return null
  return divRound(treated.sum * BigInt(holdout.members) - holdout.sum * BigInt(treated.members), BigInt(holdout.members))
}

/** ROI and what it is made of, or why it is undefined. */
export interface Roi {
  margin: string
  value: number | null
  ci95: { low: number; high: number } | null
  /** Incremental revenue × margin − discount cost, money text. */
  net_gain: string | null
  reason?: string
}

/**
 * ROI = (incremental revenue × margin − discount cost) / discount cost. The interval carries
 * the per-member interval through the same (linear) formula. `margin` is in 10^-4 units.
 */
export function roi(args: {
  incrementalCents: bigint | null
  perMember: Increment
  treatedMembers: number
  marginUnits: bigint
  costCents: bigint
}): Roi {
  const margin = formatScaled(args.marginUnits, 4)
  if (args.incrementalCents === null) return { margin, value: null, ci95: null, net_gain: null, reason: 'no holdout: the incremental revenue is unknown' }
  const gain = divRound(args.incrementalCents * args.marginUnits, 10_000n) - args.costCents
  if (args.costCents === 0n) {
    return { margin, value: null, ci95: null, net_gain: money(gain), reason: 'no discount cost: no coupon was redeemed in the window' }
  }
  const cost = Number(args.costCents) / 100
  const m = Number(args.marginUnits) / 10_000
  const of = (perMember: number) => round((perMember * args.treatedMembers * m - cost) / cost, 4)
  const ci = args.perMember.ci95
  return { margin, value: round(Number(gain) / Number(args.costCents), 4), ci95: ci ? { low: of(ci.low), high: of(ci.high) } : null, net_gain: money(gain) }
}
