// Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and real z in (−1, 1),
// written for the BG/NBD expectations (Fader, Hardie & Lee 2005, eqs. 7 and 10), where z = t/(α+t)
// lies in [0, 1) and a, b, c can be in the hundreds (r + x, b + x with x repeat purchases).
//
// Strategy (Abramowitz & Stegun, ch. 15):
// - a or b a non-positive integer: the series is a polynomial; summed as is.
// - c − a − b < 0 and z > 1/2: Euler's transformation (A&S 15.3.3)
//     2F1(a, b; c; z) = (1 − z)^(c−a−b) 2F1(c − a, c − b; c; z)
//   so the series summed has c' − a' − b' > 0 (no huge intermediate terms for large a, b).
// - z > 0.9 with 0 < c − a − b < 4 and not within 1e-3 of an integer: the 1 − z transformation
//   (A&S 15.3.6), two series in 1 − z < 0.1, unless its two parts cancel (large a, b).
// - otherwise the power series, each term from the previous one by its ratio
//     t(n+1)/t(n) = (a + n)(b + n) / ((c + n)(n + 1)) · z,
//   stopped when the geometric bound on the tail is below 1e-16 of the sum.
import { gammaSign, isNonPositiveInteger, logGamma } from './special'

// Local bindings: global lookups of Math are slow inside jest's vm sandbox.
const { exp, pow, abs, max, round } = Math

const EPS = 1e-16
/** Past this many terms the sum is abandoned and NaN returned (only for z within ~1e-5 of 1). */
export const HYP2F1_MAX_TERMS = 1_000_000
const TRANSFORM_Z = 0.9
const TRANSFORM_MAX_S = 4
const INTEGER_GAP = 1e-3
/** Accept the continuation only if its two parts lose at most ~4 of the 16 digits. */
const CANCELLATION_LIMIT = 1e4

/**
 * Σ_{n≥0} (a)_n (b)_n / ((c)_n n!) z^n by term ratios; NaN if it has not converged within
 * HYP2F1_MAX_TERMS terms. Caller guarantees c is not a non-positive integer and |z| < 1.
 */
export function hyp2f1Series(a: number, b: number, c: number, z: number): number {
  let term = 1
  let sum = 1
  for (let n = 0; n < HYP2F1_MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z
    term *= ratio
    sum += term
    if (term === 0) return sum
    // Past the parameters the ratios tend monotonically to z: bound the tail geometrically.
    const q = max(abs(ratio), abs(z))
    if (n > 0 && q < 1 && abs(term) * q <= EPS * (1 - q) * abs(sum)) return sum
  }
  return NaN
}

/** Γ(n1)Γ(n2) / (Γ(d1)Γ(d2)) with signs; 0 when a denominator argument is a pole. */
function gammaRatio(n1: number, n2: number, d1: number, d2: number): number {
  if (isNonPositiveInteger(d1) || isNonPositiveInteger(d2)) return 0
  const sign = gammaSign(n1) * gammaSign(n2) * gammaSign(d1) * gammaSign(d2)
  return sign * exp(logGamma(n1) + logGamma(n2) - logGamma(d1) - logGamma(d2))
}

/** A&S 15.3.6: the continuation around z = 1, for c − a − b = s not an integer. */
function hyp2f1OneMinusZ(a: number, b: number, c: number, z: number): number {
  const s = c - a - b
  const w = 1 - z
  const first = gammaRatio(c, s, c - a, c - b) * hyp2f1Series(a, b, 1 - s, w)
  const second = gammaRatio(c, -s, a, b) * pow(w, s) * hyp2f1Series(c - a, c - b, 1 + s, w)
  const value = first + second
  // With large a, b the two parts can nearly cancel; then the plain series is the safer road.
  return abs(first) + abs(second) <= CANCELLATION_LIMIT * abs(value) ? value : hyp2f1Series(a, b, c, z)
}

function useOneMinusZ(s: number, z: number): boolean {
  return z > TRANSFORM_Z && s > 0 && s < TRANSFORM_MAX_S && abs(s - round(s)) > INTEGER_GAP
}

/**
 * 2F1(a, b; c; z) for real a, b, c (c not 0, −1, −2, ...) and −1 < z < 1.
 * Throws RangeError outside that domain; NaN only if the series cannot converge (z ≈ 1).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z > -1 && z < 1)) throw new RangeError(`hyp2f1: z must lie in (-1, 1), got ${z}`)
  if (isNonPositiveInteger(c)) throw new RangeError(`hyp2f1: c must not be a non-positive integer, got ${c}`)
  if (z === 0 || a === 0 || b === 0) return 1
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) return hyp2f1Series(a, b, c, z)
  const s = c - a - b
  if (s < 0 && z > 0.5) return pow(1 - z, s) * hyp2f1Positive(c - a, c - b, c, z)
  return hyp2f1Positive(a, b, c, z)
}

/** 2F1 when c − a − b ≥ 0 or z ≤ 1/2. */
function hyp2f1Positive(a: number, b: number, c: number, z: number): number {
  return useOneMinusZ(c - a - b, z) ? hyp2f1OneMinusZ(a, b, c, z) : hyp2f1Series(a, b, c, z)
}
