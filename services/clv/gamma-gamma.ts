// Gamma-Gamma model of spend per purchase (Fader & Hardie 2013, "The Gamma-Gamma Model of
// Monetary Value", www.brucehardie.com/notes/025/; "FH13" below). Each of a customer's purchase
// values is Gamma(p, ν); ν across customers is Gamma(q, γ). Only repeat purchases are used: x is
// the number of repeat purchase days and m their mean net spend (docs/clv.md), currency units.
import { maximizeLikelihoodOfPositive, type FitResult, type MinimizeOptions } from './nelder-mead'
import { logGamma } from './special'

// Local bindings: global lookups of Math are slow inside jest's vm sandbox.
const { log } = Math

export interface GammaGammaParams {
  /** Shape of the per-purchase spend distribution. */
  p: number
  /** Shape of the Gamma of ν across customers. */
  q: number
  /** Scale of that Gamma (γ), currency units. */
  gamma: number
}

/** A Gamma-Gamma fit as every CLV fit reports it. */
export type GammaGammaFit = FitResult<GammaGammaParams>

export interface GammaGammaRow {
  /** Repeat purchase days, > 0. */
  x: number
  /** Mean spend of those days, > 0. */
  m: number
  /** Members with this (x, m); default 1. */
  count?: number
}

/**
 * ln f(m | p, q, γ; x), the density of a customer's mean spend (FH13 eq. 4):
 *   Γ(px+q) / (Γ(px) Γ(q)) · γ^q m^(px−1) x^(px) / (γ + m x)^(px+q).
 */
export function gammaGammaRowLogLikelihood(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params
  const px = p * x
  return (
    logGamma(px + q) - logGamma(px) - logGamma(q) +
    q * log(gamma) + (px - 1) * log(m) + px * log(x) - (px + q) * log(gamma + m * x)
  )
}

/** Σ count · ln f over the rows. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, rows: ReadonlyArray<GammaGammaRow>): number {
  let ll = 0
  for (const row of rows) ll += (row.count ?? 1) * gammaGammaRowLogLikelihood(params, row.x, row.m)
  return ll
}

/**
 * gammaGammaLogLikelihood of fixed rows as a function of the parameters, for the fit's many
 * calls: ln m and ln x are taken once, the Γ terms once per distinct x per call, with the very
 * expressions of gammaGammaRowLogLikelihood summed in the same order, so the result is bit for
 * bit gammaGammaLogLikelihood's (gamma-gamma.test.ts); per row only ln(γ + m x) is left.
 */
export function compiledLogLikelihood(rows: ReadonlyArray<GammaGammaRow>): (params: GammaGammaParams) => number {
  const n = rows.length
  const xs: number[] = []
  const seen = new Map<number, number>()
  const xi = new Int32Array(n)
  const ms = new Float64Array(n)
  const logMs = new Float64Array(n)
  const counts = new Float64Array(n)
  rows.forEach((row, i) => {
    let k = seen.get(row.x)
    if (k === undefined) {
      k = xs.length
      seen.set(row.x, k)
      xs.push(row.x)
    }
    xi[i] = k
    ms[i] = row.m
    logMs[i] = log(row.m)
    counts[i] = row.count ?? 1
  })
  const logXs = Float64Array.from(xs, (x) => log(x))
  const pxs = new Float64Array(xs.length)
  const gammas = new Float64Array(xs.length)
  return ({ p, q, gamma }) => {
    const logGammaQ = logGamma(q)
    const qLogGamma = q * log(gamma)
    for (let k = 0; k < xs.length; k++) {
      const px = p * (xs[k] as number)
      pxs[k] = px
      gammas[k] = logGamma(px + q) - logGamma(px) - logGammaQ + qLogGamma
    }
    let ll = 0
    for (let i = 0; i < n; i++) {
      const k = xi[i] as number
      const px = pxs[k] as number
      const x = xs[k] as number
      const value = (gammas[k] as number) + (px - 1) * (logMs[i] as number) + px * (logXs[k] as number) - (px + q) * log(gamma + (ms[i] as number) * x)
      ll += (counts[i] as number) * value
    }
    return ll
  }
}

/**
 * Maximum likelihood over (ln p, ln q, ln γ) by Nelder–Mead, from p = q = γ = 1 unless `start`
 * is given. Rows must have x > 0 and m > 0 (RangeError otherwise); a fit that runs out of
 * iterations is returned with converged = false.
 */
export function fitGammaGamma(
  rows: ReadonlyArray<GammaGammaRow>,
  options: MinimizeOptions & { start?: GammaGammaParams } = {},
): GammaGammaFit {
  if (rows.length === 0) throw new RangeError('Gamma-Gamma fit: no rows')
  for (const { x, m, count = 1 } of rows) {
    if (!(x > 0 && m > 0 && count >= 0)) throw new RangeError(`Gamma-Gamma fit: invalid row x=${x} m=${m} count=${count}`)
  }
  const { start = { p: 1, q: 1, gamma: 1 }, ...minimize } = options
  return maximizeLikelihoodOfPositive(compiledLogLikelihood(rows), { p: start.p, q: start.q, gamma: start.gamma }, minimize)
}

/** Population mean spend per purchase, E[Z] = pγ/(q − 1) (FH13); +Infinity when q ≤ 1. */
export function populationMeanSpend({ p, q, gamma }: GammaGammaParams): number {
  return q > 1 ? (p * gamma) / (q - 1) : Infinity
}

/**
 * E[M | x, m] = (γ + m x) p / (p x + q − 1) (FH13 eq. 5): a weighted mean of the population mean
 * and m. Falls back to the population mean when x = 0 or m ≤ 0 (docs/clv.md).
 */
export function expectedSpend(params: GammaGammaParams, x: number, m: number): number {
  if (!(x > 0 && m > 0)) return populationMeanSpend(params)
  const { p, q, gamma } = params
  return ((gamma + m * x) * p) / (p * x + q - 1)
}
