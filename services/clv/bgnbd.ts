// BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the
// easy way", Marketing Science 24(2); "FHL" below). Pure functions; all times in weeks.
// A row is a member summary (docs/clv.md): x repeat purchase days, t_x the weeks from the first
// purchase day to the last, T the weeks from the first purchase day to as_of; `count` members
// share it (the likelihood of the grouped summary is the count-weighted sum).
import { expectationFactor } from './bgnbd-series'
import { maximizeLikelihoodOfPositive, type FitResult, type MinimizeOptions } from './nelder-mead'
import { logBeta, logGamma } from './special'

// Local bindings: global lookups of Math are slow inside jest's vm sandbox.
const { log, exp, log1p } = Math

export interface BgNbdParams {
  /** Shape of the Gamma distribution of purchase rates λ. */
  r: number
  /** Rate (scale in weeks) of that Gamma: E[λ] = r/α per week. */
  alpha: number
  /** Beta(a, b) of the dropout probability p after each purchase. */
  a: number
  b: number
}

/** A BG/NBD fit as every CLV fit reports it. */
export type BgNbdFit = FitResult<BgNbdParams>

export interface BgNbdRow {
  x: number
  /** Weeks. */
  tx: number
  /** Weeks. */
  T: number
  /** Members with this (x, t_x, T); default 1. */
  count?: number
}

/** softplus(u) = ln(1 + e^u) without overflow. */
function softplus(u: number): number {
  return u > 0 ? u + log1p(exp(-u)) : log1p(exp(u))
}

/**
 * ln[(a/(b+x−1)) ((α+T)/(α+t_x))^(r+x)]: the log odds of having dropped out after the last
 * purchase against being alive (FHL eq. 6's second term over its first). Only for x > 0.
 */
function deadLogOdds(p: BgNbdParams, x: number, tx: number, T: number): number {
  return log(p.a / (p.b + x - 1)) + (p.r + x) * (log(p.alpha + T) - log(p.alpha + tx))
}

/** ln L(r, α, a, b | x, t_x, T), FHL eq. 6, summed in log space. */
export function bgnbdRowLogLikelihood(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p
  const head = logGamma(r + x) - logGamma(r) + r * log(alpha) + logBeta(a, b + x) - logBeta(a, b)
  const alive = -(r + x) * log(alpha + T)
  return head + alive + (x > 0 ? softplus(deadLogOdds(p, x, tx, T)) : 0)
}

/** Σ count · ln L over the rows (FHL eq. 6). */
export function bgnbdLogLikelihood(p: BgNbdParams, rows: ReadonlyArray<BgNbdRow>): number {
  let ll = 0
  for (const row of rows) ll += (row.count ?? 1) * bgnbdRowLogLikelihood(p, row.x, row.tx, row.T)
  return ll
}

/**
 * bgnbdLogLikelihood of fixed rows as a function of the parameters, for the fit's many calls.
 * The terms of a row that depend on x only (the head, r + x, ln(a/(b+x−1))), on T only
 * (ln(α+T)) or on t_x only (ln(α+t_x)) are computed once per distinct value per call with the
 * very expressions of bgnbdRowLogLikelihood, and the rows are summed in the same order, so the
 * result is bit for bit bgnbdLogLikelihood's (bgnbd.test.ts) at a fraction of the cost: a
 * million members have a few hundred distinct x and a few hundred distinct ages.
 */
export function compiledLogLikelihood(rows: ReadonlyArray<BgNbdRow>): (p: BgNbdParams) => number {
  const n = rows.length
  const index = (values: number[], seen: Map<number, number>, v: number) => {
    let i = seen.get(v)
    if (i === undefined) {
      i = values.length
      seen.set(v, i)
      values.push(v)
    }
    return i
  }
  const xs: number[] = []
  const Ts: number[] = []
  const txs: number[] = []
  const xSeen = new Map<number, number>()
  const TSeen = new Map<number, number>()
  const txSeen = new Map<number, number>()
  const xi = new Int32Array(n)
  const Ti = new Int32Array(n)
  const txi = new Int32Array(n)
  const counts = new Float64Array(n)
  rows.forEach((row, i) => {
    xi[i] = index(xs, xSeen, row.x)
    Ti[i] = index(Ts, TSeen, row.T)
    txi[i] = index(txs, txSeen, row.tx)
    counts[i] = row.count ?? 1
  })
  const head = new Float64Array(xs.length)
  const rx = new Float64Array(xs.length)
  const oddsX = new Float64Array(xs.length)
  const logT = new Float64Array(Ts.length)
  const logTx = new Float64Array(txs.length)
  return (p) => {
    const { r, alpha, a, b } = p
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k] as number
      head[k] = logGamma(r + x) - logGamma(r) + r * log(alpha) + logBeta(a, b + x) - logBeta(a, b)
      rx[k] = r + x
      oddsX[k] = x > 0 ? log(p.a / (p.b + x - 1)) : 0
    }
    for (let j = 0; j < Ts.length; j++) logT[j] = log(alpha + (Ts[j] as number))
    for (let j = 0; j < txs.length; j++) logTx[j] = log(p.alpha + (txs[j] as number))
    let ll = 0
    for (let i = 0; i < n; i++) {
      const k = xi[i] as number
      const lT = logT[Ti[i] as number] as number
      const alive = -(rx[k] as number) * lT
      const value = (head[k] as number) + alive + ((xs[k] as number) > 0 ? softplus((oddsX[k] as number) + (rx[k] as number) * (lT - (logTx[txi[i] as number] as number))) : 0)
      ll += (counts[i] as number) * value
    }
    return ll
  }
}

function checkRows(rows: ReadonlyArray<BgNbdRow>): void {
  if (rows.length === 0) throw new RangeError('BG/NBD fit: no rows')
  for (const { x, tx, T, count = 1 } of rows) {
    const ok = Number.isInteger(x) && x >= 0 && tx >= 0 && tx <= T && (x > 0 || tx === 0) && count >= 0
    if (!ok) throw new RangeError(`BG/NBD fit: invalid row x=${x} t_x=${tx} T=${T} count=${count}`)
  }
}

/**
 * Maximum likelihood over (ln r, ln α, ln a, ln b) by Nelder–Mead, from r = α = a = b = 1 unless
 * `start` is given. Throws RangeError on invalid rows; a fit that runs out of iterations is
 * returned with converged = false.
 */
export function fitBgNbd(
  rows: ReadonlyArray<BgNbdRow>,
  options: MinimizeOptions & { start?: BgNbdParams } = {},
): BgNbdFit {
  checkRows(rows)
  const { start = { r: 1, alpha: 1, a: 1, b: 1 }, ...minimize } = options
  return maximizeLikelihoodOfPositive(compiledLogLikelihood(rows), { r: start.r, alpha: start.alpha, a: start.a, b: start.b }, minimize)
}

/** P(alive | x, t_x, T) = 1 / (1 + δ(x>0) (a/(b+x−1)) ((α+T)/(α+t_x))^(r+x)) (FHL §5; Fader, Hardie & Lee 2008 note). */
export function pAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1
  const u = deadLogOdds(p, x, tx, T)
  if (u > 0) {
    const e = exp(-u)
    return e / (1 + e)
  }
  return 1 / (1 + exp(u))
}

/** E[X(t)]: expected repeat purchases in (0, t] weeks of a new customer, FHL eq. 7. */
export function expectedPurchases(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p
  const C = a + b - 1
  return C * expectationFactor(a + b - 1 - r, a - 1, C, t / (alpha + t))
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t weeks, FHL eq. 10. */
export function conditionalExpectedPurchases(p: BgNbdParams, x: number, tx: number, T: number, t: number): number {
  const { r, alpha, a, b } = p
  const C = a + b + x - 1
  const active = C * expectationFactor(a + b - 1 - r, a - 1, C, t / (alpha + T + t))
  return active * pAlive(p, x, tx, T)
}
