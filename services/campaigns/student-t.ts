// Student's t distribution for the campaign report's Welch intervals (pure, no I/O).
// simple-statistics has no t quantile, so it is computed here: the CDF from the regularized
// incomplete beta function (continued fraction, modified Lentz, as in Numerical Recipes §6.4),
// the quantile by bisection on the CDF. Accurate to ~1e-10, far below what an interval needs.
import { logBeta } from '../clv/special'

const { abs, exp, log } = Math
const TINY = 1e-300
const EPS = 1e-15
const MAX_TERMS = 100_000

/** The continued fraction of I_x(a, b), converging fast for x < (a + 1) / (a + b + 2). */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= MAX_TERMS; m++) {
    const m2 = 2 * m
    // Even step, then odd step of the fraction.
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + aa * d
    if (abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + aa * d
    if (abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (abs(c) < TINY) c = TINY
    d = 1 / d
    const step = d * c
    h *= step
    if (abs(step - 1) < EPS) return h
  }
  throw new Error(`incomplete beta did not converge (a=${a}, b=${b}, x=${x})`)
}

/** The regularized incomplete beta function I_x(a, b), for a, b > 0 and 0 ≤ x ≤ 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) throw new RangeError(`regularizedBeta(${x}, ${a}, ${b}) is undefined`)
  if (x === 0 || x === 1) return x
  const front = exp(a * log(x) + b * log(1 - x) - logBeta(a, b))
  // The fraction converges fast on one side of the mean; use the symmetry on the other.
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df > 0, need not be whole). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`)
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5)
  return t >= 0 ? 1 - tail : tail
}

/** The p-quantile of Student's t with `df` degrees of freedom, by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a quantile needs 0 < p < 1, got ${p}`)
  if (p === 0.5) return 0
  if (p < 0.5) return -studentTQuantile(1 - p, df)
  let low = 0
  let high = 1
  while (studentTCdf(high, df) < p) {
    low = high
    high *= 2
  }
  // 200 halvings shrink any bracket below a double's resolution; stop earlier when it is reached.
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2
    if (studentTCdf(mid, df) < p) low = mid
    else high = mid
  }
  return (low + high) / 2
}
