// The hypergeometric part of the BG/NBD expectations, evaluated for several horizons at once.
//
// FHL 2005 eq. 7 (and eq. 10 with r+x, α+T, b+x in place of r, α, b) contains
//   [1 − (α/(α+t))^r 2F1(r, b; a+b−1; z)] / (a − 1),   z = t/(α+t).
// Euler's transformation (A&S 15.3.3) rewrites (1−z)^r 2F1(r, b; a+b−1; z) as
// (1−z)^(a−1) 2F1(A, B; C; z) with A = a+b−1−r, B = a−1, C = a+b−1 (C = a+b+x−1 in eq. 10), which
// keeps every number small even for x in the hundreds. Writing F = 1 + B·S with
//   S = Σ_{n≥1} (A)_n (B+1)_{n−1} / ((C)_n n!) z^n
// the factor becomes  −expm1(B ln(1−z))/B − (1−z)^B S,  which has no 0/0 at a = 1.
// S has the same term ratios for every z, so one pass serves every horizon of a row.
import { hyp2f1, HYP2F1_MAX_TERMS } from './hyp2f1'

// Local bindings: global lookups of Math are slow inside jest's vm sandbox.
const { exp, log1p, expm1, abs, max, round } = Math

const EPS = 1e-16
const TRANSFORM_Z = 0.9

let termScratch = new Float64Array(16)
let sumScratch = new Float64Array(16)
let doneScratch = new Uint8Array(16)

function ensureScratch(n: number): void {
  if (termScratch.length >= n) return
  termScratch = new Float64Array(n)
  sumScratch = new Float64Array(n)
  doneScratch = new Uint8Array(n)
}

/** −expm1(B·L)/B, its limit −L at B = 0. */
function negExpm1Over(B: number, L: number): number {
  return B === 0 ? -L : -expm1(B * L) / B
}

/** Near z = 1 with a small C − A − B the series is slow: use hyp2f1's 1 − z continuation. */
function useContinuation(A: number, B: number, C: number, z: number): boolean {
  const s = C - A - B
  return z > TRANSFORM_Z && abs(B) > 1e-4 && s > 0 && s < 4 && abs(s - round(s)) > 1e-3
}

/**
 * For k < n: out[k] = [1 − (1−z_k)^B 2F1(A, B; C; z_k)] / B with 0 ≤ z_k < 1 (the limit at B = 0).
 * Allocates nothing once its scratch space has grown to n.
 */
export function expectationFactors(
  A: number,
  B: number,
  C: number,
  zs: ArrayLike<number>,
  n: number,
  out: Float64Array,
): void {
  ensureScratch(n)
  let pending = 0
  for (let k = 0; k < n; k++) {
    const z = zs[k] as number
    const first = (A * z) / C
    termScratch[k] = first
    sumScratch[k] = first
    const direct = !useContinuation(A, B, C, z)
    doneScratch[k] = direct && first !== 0 ? 0 : 1
    if (doneScratch[k] === 0) pending++
  }
  for (let m = 1; pending > 0 && m < HYP2F1_MAX_TERMS; m++) {
    const base = ((A + m) * (B + m)) / ((C + m) * (m + 1))
    for (let k = 0; k < n; k++) {
      if (doneScratch[k] === 1) continue
      const z = zs[k] as number
      const ratio = base * z
      const term = (termScratch[k] as number) * ratio
      const sum = (sumScratch[k] as number) + term
      termScratch[k] = term
      sumScratch[k] = sum
      const q = max(abs(ratio), z)
      if (term === 0 || (q < 1 && abs(term) * q <= EPS * (1 - q) * abs(sum))) {
        doneScratch[k] = 1
        pending--
      }
    }
  }
  for (let k = 0; k < n; k++) {
    const z = zs[k] as number
    const L = log1p(-z)
    const S = useContinuation(A, B, C, z) ? (hyp2f1(A, B, C, z) - 1) / B : (sumScratch[k] as number)
    out[k] = negExpm1Over(B, L) - exp(B * L) * S
  }
  if (pending > 0) for (let k = 0; k < n; k++) if (doneScratch[k] === 0) out[k] = NaN
}

const one = new Float64Array(1)
const oneOut = new Float64Array(1)

/** expectationFactors for a single z. */
export function expectationFactor(A: number, B: number, C: number, z: number): number {
  one[0] = z
  expectationFactors(A, B, C, one, 1, oneOut)
  return oneOut[0] as number
}
