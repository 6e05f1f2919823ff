import {
  expectedSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaRowLogLikelihood,
  populationMeanSpend,
} from './gamma-gamma'

describe('Gamma-Gamma density of mean spend (FH13)', () => {
  it('matches hand-worked values', () => {
    // p = 1, q = 2, γ = 1, x = 1, m = 1: Γ(3)/(Γ(1)Γ(2)) · 1 · 1 · 1 / 2³ = 1/4
    expect(gammaGammaRowLogLikelihood({ p: 1, q: 2, gamma: 1 }, 1, 1)).toBeCloseTo(Math.log(1 / 4), 14)
    // p = 2, q = 3, γ = 4, x = 2, m = 5: Γ(7)/(Γ(4)Γ(3)) = 60, γ^q = 64, m^3 = 125, x^4 = 16, 14^7
    const want = (60 * 64 * 125 * 16) / 14 ** 7
    expect(gammaGammaRowLogLikelihood({ p: 2, q: 3, gamma: 4 }, 2, 5)).toBeCloseTo(Math.log(want), 13)
  })

  it('integrates to 1 over m (so the x^(px) Jacobian is right)', () => {
    const params = { p: 2, q: 3, gamma: 4 }
    // Simpson's rule in u = ln m: ∫ f(m) dm = ∫ f(e^u) e^u du
    const [lo, hi, n] = [-30, 30, 6000]
    const h = (hi - lo) / n
    let sum = 0
    for (let i = 0; i <= n; i++) {
      const u = lo + i * h
      const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2
      sum += w * Math.exp(gammaGammaRowLogLikelihood(params, 3, Math.exp(u)) + u)
    }
    expect((sum * h) / 3).toBeCloseTo(1, 8)
  })

  it('weights rows by count', () => {
    const params = { p: 6, q: 4, gamma: 15 }
    const one = gammaGammaLogLikelihood(params, [{ x: 2, m: 30 }])
    expect(gammaGammaLogLikelihood(params, [{ x: 2, m: 30, count: 5 }])).toBeCloseTo(5 * one, 10)
  })
})

describe('E[M | x, m] (FH13)', () => {
  const params = { p: 6.25, q: 3.74, gamma: 15.44 }

  it('is (γ + m x) p / (p x + q − 1)', () => {
    expect(expectedSpend({ p: 1, q: 2, gamma: 1 }, 1, 1)).toBeCloseTo(1, 14)
    expect(expectedSpend(params, 2, 40)).toBeCloseTo(((15.44 + 80) * 6.25) / (12.5 + 2.74), 12)
  })

  it('is the population mean pγ/(q − 1) for x = 0 or m <= 0', () => {
    const mean = (6.25 * 15.44) / 2.74
    expect(populationMeanSpend(params)).toBeCloseTo(mean, 12)
    expect(expectedSpend(params, 0, 0)).toBeCloseTo(mean, 12)
    expect(expectedSpend(params, 3, -5)).toBeCloseTo(mean, 12)
  })

  it('tends to the customer’s own mean as x grows', () => {
    expect(expectedSpend(params, 1e7, 42)).toBeCloseTo(42, 4)
  })

  it('has no population mean when q <= 1', () => {
    expect(populationMeanSpend({ p: 1, q: 0.9, gamma: 1 })).toBe(Infinity)
  })
})

describe('fitGammaGamma', () => {
  // Single purchases spread widely, means of 8 much less: an interior maximum exists.
  const rows = [
    { x: 1, m: 5, count: 10 },
    { x: 1, m: 20, count: 20 },
    { x: 1, m: 100, count: 10 },
    { x: 3, m: 15, count: 8 },
    { x: 3, m: 40, count: 8 },
    { x: 8, m: 20, count: 5 },
    { x: 8, m: 45, count: 5 },
  ]

  it('finds a maximum and reports it', () => {
    const fit = fitGammaGamma(rows)
    expect(fit.converged).toBe(true)
    expect(fit.logLikelihood).toBeCloseTo(gammaGammaLogLikelihood(fit.params, rows), 8)
    for (const key of ['p', 'q', 'gamma'] as const) {
      for (const factor of [0.9, 1.1]) {
        expect(gammaGammaLogLikelihood({ ...fit.params, [key]: fit.params[key] * factor }, rows)).toBeLessThan(fit.logLikelihood)
      }
    }
  })

  it('returns converged = false rather than throwing when the iteration limit is hit', () => {
    expect(fitGammaGamma(rows, { maxIterations: 2 }).converged).toBe(false)
  })

  it('rejects x = 0 or m <= 0', () => {
    expect(() => fitGammaGamma([{ x: 0, m: 10 }])).toThrow(RangeError)
    expect(() => fitGammaGamma([{ x: 2, m: 0 }])).toThrow(RangeError)
    expect(() => fitGammaGamma([])).toThrow(RangeError)
  })
})
