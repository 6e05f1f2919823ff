import {
  bgnbdLogLikelihood,
  bgnbdRowLogLikelihood,
  conditionalExpectedPurchases,
  expectedPurchases,
  fitBgNbd,
  pAlive,
  type BgNbdParams,
} from './bgnbd'

const ones: BgNbdParams = { r: 1, alpha: 1, a: 1, b: 1 }
/** FHL 2005's CDNOW estimates, as printed. */
const published: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }
const rel = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want)

describe('BG/NBD likelihood (FHL eq. 6)', () => {
  // With r = α = a = b = 1: B(1, 1+x)/B(1, 1) = 1/(1+x), Γ(1+x) α^r / Γ(r) = x!.
  it('matches hand-worked values', () => {
    expect(bgnbdRowLogLikelihood(ones, 0, 0, 1)).toBeCloseTo(Math.log(1 / 2), 14) // 1/2 · 1/2^1
    expect(bgnbdRowLogLikelihood(ones, 1, 1, 2)).toBeCloseTo(Math.log(1 / 18 + 1 / 8), 14) // 1/2·1/3² + 1/2·1/2²
    // r = 2, α = 3, a = 2, b = 3, x = 2, t_x = 4, T = 6: Γ(4)/Γ(2) = 6, α^r = 9,
    // B(2, 5)/B(2, 3) = 0.4, B(3, 4)/B(2, 3) = 0.2.
    const p = { r: 2, alpha: 3, a: 2, b: 3 }
    expect(bgnbdRowLogLikelihood(p, 2, 4, 6)).toBeCloseTo(Math.log((0.4 * 54) / 9 ** 4 + (0.2 * 54) / 7 ** 4), 13)
  })

  it('weights each row by its count', () => {
    const one = bgnbdLogLikelihood(published, [{ x: 3, tx: 20, T: 30 }])
    expect(bgnbdLogLikelihood(published, [{ x: 3, tx: 20, T: 30, count: 3 }])).toBeCloseTo(3 * one, 10)
  })

  it('stays finite at the edges: x in the hundreds, T very large or near 0, t_x = T', () => {
    for (const [x, tx, T] of [[500, 10, 1e6], [500, 1e6, 1e6], [0, 0, 1e-9], [1, 1e-9, 1e-9], [300, 52, 52]] as const) {
      expect(Number.isFinite(bgnbdRowLogLikelihood(published, x, tx, T))).toBe(true)
    }
  })
})

describe('P(alive | x, t_x, T)', () => {
  it('is 1 for a customer with no repeat purchase', () => {
    expect(pAlive(published, 0, 0, 52)).toBe(1)
  })

  it('is the alive share of the likelihood: 4/13 for x = 1, t_x = 1, T = 2 with unit parameters', () => {
    expect(pAlive(ones, 1, 1, 2)).toBeCloseTo(4 / 13, 14)
  })

  it('is 1/(1 + a/(b+x−1)) when the last purchase is at T, even for x = 500', () => {
    expect(pAlive(published, 500, 40, 40)).toBeCloseTo(1 / (1 + 0.793 / (2.426 + 499)), 14)
  })

  it('goes to 0 without NaN when a frequent buyer has been silent for ages', () => {
    const p = pAlive(published, 500, 10, 1e6)
    expect(p).toBeGreaterThanOrEqual(0)
    expect(p).toBeLessThan(1e-100)
  })
})

describe('E[X(t)] for a new customer (FHL eq. 7)', () => {
  it('grows like E[λ] t = r t / α for small t', () => {
    expect(rel(expectedPurchases(published, 1e-6), (0.243 * 1e-6) / 4.414)).toBeLessThan(1e-5)
  })

  it('tends to E[1/p] = (a+b−1)/(a−1) as t → ∞ when a > 1', () => {
    const p = { r: 2.3, alpha: 3, a: 2.5, b: 3 }
    expect(rel(expectedPurchases(p, 1e8), 4.5 / 1.5)).toBeLessThan(1e-6)
  })

  it('is the NBD mean r t / α when nobody drops out (b → ∞)', () => {
    const p = { r: 0.8, alpha: 2, a: 1, b: 1e9 }
    expect(rel(expectedPurchases(p, 26), (0.8 * 26) / 2)).toBeLessThan(1e-6)
  })

  it('is continuous through a = 1, where the (a−1) in eq. 7 cancels', () => {
    const at = (a: number): number => expectedPurchases({ r: 0.5, alpha: 2, a, b: 2 }, 52)
    expect(rel(at(1), (at(1 - 1e-7) + at(1 + 1e-7)) / 2)).toBeLessThan(1e-9)
  })
})

describe('E[Y(t) | x, t_x, T] (FHL eq. 10)', () => {
  it('reproduces the paper’s 1.226 for x = 2, t_x = 30.43, T = 38.86, t = 39', () => {
    expect(conditionalExpectedPurchases(published, 2, 30.43, 38.86, 39)).toBeCloseTo(1.226, 3)
  })

  it('is E[X(t)] for a customer seen only at time 0', () => {
    expect(conditionalExpectedPurchases(published, 0, 0, 0, 39)).toBeCloseTo(expectedPurchases(published, 39), 14)
  })

  it('grows like P(alive) (r+x)/(α+T) t for small t, also for x = 300', () => {
    for (const [x, tx, T] of [[2, 30.43, 38.86], [300, 50, 52], [0, 0, 1e-9]] as const) {
      const slope = (pAlive(published, x, tx, T) * (0.243 + x)) / (4.414 + T)
      expect(rel(conditionalExpectedPurchases(published, x, tx, T, 1e-7), slope * 1e-7)).toBeLessThan(1e-5)
    }
  })

  it('stays below the no-dropout bound (r+x) t/(α+T) and close to it for a loyal heavy buyer', () => {
    const bound = ((0.243 + 300) * 4) / (4.414 + 52)
    const value = conditionalExpectedPurchases(published, 300, 52, 52, 4)
    expect(value).toBeLessThan(bound)
    expect(value).toBeGreaterThan(0.95 * bound)
  })

  it('is finite and tiny for a silent customer with T very large', () => {
    const value = conditionalExpectedPurchases(published, 5, 1, 1e6, 52)
    expect(value).toBeGreaterThanOrEqual(0)
    expect(value).toBeLessThan(1e-6)
  })

  it('is the NBD posterior mean (r+x) t/(α+T) when nobody drops out', () => {
    const p = { r: 0.8, alpha: 2, a: 1, b: 1e9 }
    expect(rel(conditionalExpectedPurchases(p, 4, 20, 30, 13), ((0.8 + 4) * 13) / 32)).toBeLessThan(1e-6)
  })
})

describe('fitBgNbd', () => {
  const rows = [
    { x: 0, tx: 0, T: 30, count: 40 },
    { x: 1, tx: 10, T: 30, count: 15 },
    { x: 3, tx: 25, T: 35, count: 8 },
    { x: 7, tx: 12, T: 38, count: 3 },
  ]

  it('reports params, log-likelihood, iterations and convergence, at a maximum', () => {
    const fit = fitBgNbd(rows)
    expect(fit.converged).toBe(true)
    expect(fit.iterations).toBeGreaterThan(0)
    expect(fit.logLikelihood).toBeCloseTo(bgnbdLogLikelihood(fit.params, rows), 8)
    for (const factor of [0.9, 1.1]) {
      for (const key of ['r', 'alpha', 'a', 'b'] as const) {
        const moved = { ...fit.params, [key]: fit.params[key] * factor }
        expect(bgnbdLogLikelihood(moved, rows)).toBeLessThan(fit.logLikelihood)
      }
    }
  })

  it('returns converged = false rather than throwing when the iteration limit is hit', () => {
    const fit = fitBgNbd(rows, { maxIterations: 3 })
    expect(fit.converged).toBe(false)
    expect(fit.iterations).toBe(3)
  })

  it('rejects rows that cannot be a summary', () => {
    expect(() => fitBgNbd([])).toThrow(RangeError)
    expect(() => fitBgNbd([{ x: 1, tx: 5, T: 4 }])).toThrow(RangeError)
    expect(() => fitBgNbd([{ x: 1.5, tx: 1, T: 4 }])).toThrow(RangeError)
  })
})
