// Customer lifetime value and churn risk per member, as docs/clv.md defines them (keep in sync).
// Times in weeks; a month is 365.25/12 days; spend in currency units.
//   clv = E[M | x, m] × Σ_{k=1..H} (E[Y(k months)] − E[Y(k−1 months)]) / (1 + d)^k
// with E[Y(t) | x, t_x, T] the BG/NBD conditional expectation (FHL 2005 eq. 10) and E[M | x, m]
// the Gamma-Gamma expected spend (FH13 eq. 5).
import { expectationFactors } from './bgnbd-series'
import { conditionalExpectedPurchases, pAlive, type BgNbdParams } from './bgnbd'

// Local bindings: global lookups of Math are slow inside jest's vm sandbox.
const { pow } = Math

/** One month (365.25/12 days) in weeks. */
export const MONTH_WEEKS = 365.25 / 12 / 7
/** The fixed horizons of docs/clv.md, in days. */
export const VISIT_HORIZON_DAYS = [30, 90, 365] as const

export type ChurnBand = 'low' | 'medium' | 'high'

/** Band of churn risk = 1 − P(alive): low (< 0.3), medium (< 0.7), high. */
export function churnBand(churnRisk: number): ChurnBand {
  if (churnRisk < 0.3) return 'low'
  if (churnRisk < 0.7) return 'medium'
  return 'high'
}

function checkDiscounting(horizonMonths: number, monthlyDiscount: number): void {
  if (!(Number.isInteger(horizonMonths) && horizonMonths >= 0)) {
    throw new RangeError(`CLV horizon must be a whole number of months >= 0, got ${horizonMonths}`)
  }
  if (!(monthlyDiscount >= 0 && Number.isFinite(monthlyDiscount))) {
    throw new RangeError(`CLV monthly discount must be a finite rate >= 0, got ${monthlyDiscount}`)
  }
}

/**
 * Σ_{k=1..H} (E[Y(k months)] − E[Y(k−1 months)]) / (1 + d)^k: the expected purchase days of the
 * next H months, each month discounted at d (a fraction, 0.01 = 1 %). The plain reference; the
 * scorer below computes the same in one pass.
 */
export function discountedExpectedPurchases(
  params: BgNbdParams,
  x: number,
  tx: number,
  T: number,
  horizonMonths: number,
  monthlyDiscount: number,
): number {
  checkDiscounting(horizonMonths, monthlyDiscount)
  let total = 0
  let previous = 0
  for (let k = 1; k <= horizonMonths; k++) {
    const current = conditionalExpectedPurchases(params, x, tx, T, k * MONTH_WEEKS)
    total += (current - previous) / pow(1 + monthlyDiscount, k)
    previous = current
  }
  return total
}

/** clv = expected spend per purchase day × discounted expected purchase days. */
export function customerValue(expectedSpendPerVisit: number, discountedVisits: number): number {
  return expectedSpendPerVisit * discountedVisits
}

export interface RowScore {
  pAlive: number
  churnRisk: number
  churnBand: ChurnBand
  /** E[purchase days in the next 30, 90, 365 days | x, t_x, T]. */
  expectedVisits30: number
  expectedVisits90: number
  expectedVisits365: number
  /** discountedExpectedPurchases over the scorer's horizon; × expected spend gives the CLV. */
  discountedVisits: number
}

export interface ScorerOptions {
  /** CLV_HORIZON_MONTHS. */
  horizonMonths: number
  /** CLV_MONTHLY_DISCOUNT, a fraction per month. */
  monthlyDiscount: number
}

export interface Scorer {
  /**
   * Scores one summary row (x repeat purchase days, t_x and T in weeks, 0 ≤ t_x ≤ T). Writes into
   * `out` when given (no allocation), else returns a new object.
   */
  score(x: number, tx: number, T: number, out?: RowScore): RowScore
}

export function emptyScore(): RowScore {
  return {
    pAlive: 0, churnRisk: 0, churnBand: 'low',
    expectedVisits30: 0, expectedVisits90: 0, expectedVisits365: 0, discountedVisits: 0,
  }
}

/**
 * A scorer for fitted BG/NBD parameters. Per row it shares P(alive) and the hypergeometric
 * series of eq. 10 across the 3 fixed horizons and the H monthly ones: the series' coefficients
 * depend on the row only, so one pass of the recurrence serves every horizon.
 */
export function createScorer(params: BgNbdParams, options: ScorerOptions): Scorer {
  const { horizonMonths, monthlyDiscount } = options
  checkDiscounting(horizonMonths, monthlyDiscount)
  const { r, alpha, a, b } = params
  const fixed = VISIT_HORIZON_DAYS.length
  const n = fixed + horizonMonths
  const horizonWeeks = new Float64Array(n)
  VISIT_HORIZON_DAYS.forEach((days, i) => (horizonWeeks[i] = days / 7))
  const discount = new Float64Array(horizonMonths)
  for (let k = 1; k <= horizonMonths; k++) {
    horizonWeeks[fixed + k - 1] = k * MONTH_WEEKS
    discount[k - 1] = pow(1 + monthlyDiscount, -k)
  }
  const zs = new Float64Array(n)
  const factors = new Float64Array(n)
  const A = a + b - 1 - r
  const B = a - 1

  function score(x: number, tx: number, T: number, out: RowScore = emptyScore()): RowScore {
    const alive = pAlive(params, x, tx, T)
    const C = a + b + x - 1
    const scale = alpha + T
    for (let i = 0; i < n; i++) {
      const t = horizonWeeks[i] as number
      zs[i] = t / (scale + t)
    }
    expectationFactors(A, B, C, zs, n, factors)
    const k = C * alive
    let discounted = 0
    let previous = 0
    for (let i = 0; i < horizonMonths; i++) {
      const current = k * (factors[fixed + i] as number)
      discounted += (current - previous) * (discount[i] as number)
      previous = current
    }
    out.pAlive = alive
    out.churnRisk = 1 - alive
    out.churnBand = churnBand(1 - alive)
    out.expectedVisits30 = k * (factors[0] as number)
    out.expectedVisits90 = k * (factors[1] as number)
    out.expectedVisits365 = k * (factors[2] as number)
    out.discountedVisits = discounted
    return out
  }
  return { score }
}

let lastScorer: { r: number; alpha: number; a: number; b: number; horizonMonths: number; monthlyDiscount: number; scorer: Scorer } | null = null

/**
 * Scores one (x, t_x, T) row (weeks) with the scorer of these parameters and options, kept
 * between calls while they do not change: the convenient form of createScorer(...).score.
 */
export function scoreHistory(
  params: BgNbdParams,
  row: { x: number; tx: number; T: number },
  options: ScorerOptions,
  out?: RowScore,
): RowScore {
  const c = lastScorer
  const same =
    c !== null && c.r === params.r && c.alpha === params.alpha && c.a === params.a && c.b === params.b &&
    c.horizonMonths === options.horizonMonths && c.monthlyDiscount === options.monthlyDiscount
  const scorer = same ? c.scorer : createScorer(params, options)
  if (!same) lastScorer = { ...params, horizonMonths: options.horizonMonths, monthlyDiscount: options.monthlyDiscount, scorer }
  return scorer.score(row.x, row.tx, row.T, out)
}
