import { gammaSign, logBeta, logGamma } from './special'

describe('logGamma', () => {
  it('gives ln((n−1)!) at the integers', () => {
    let logFactorial = 0
    for (let n = 1; n <= 170; n++) {
      expect(logGamma(n)).toBeCloseTo(logFactorial, 10)
      logFactorial += Math.log(n)
    }
  })

  it('gives Γ(1/2) = √π and Γ(−1/2) = −2√π (by reflection)', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14)
    expect(logGamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 14)
    expect(gammaSign(-0.5)).toBe(-1)
    expect(gammaSign(-1.5)).toBe(1)
    expect(gammaSign(3.2)).toBe(1)
  })

  it('satisfies Γ(x+1) = xΓ(x) for small and large x', () => {
    for (const x of [1e-8, 0.243, 0.793, 2.426, 37.5, 512.25, 1e5]) {
      expect(logGamma(x + 1) - logGamma(x)).toBeCloseTo(Math.log(x), 9)
    }
  })

  it('is infinite at the poles', () => {
    expect(logGamma(0)).toBe(Infinity)
    expect(logGamma(-3)).toBe(Infinity)
  })
})

describe('logBeta', () => {
  it('gives B(2, 3) = 1/12 and B(1, b) = 1/b', () => {
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14)
    expect(logBeta(1, 250.5)).toBeCloseTo(-Math.log(250.5), 12)
  })
})
