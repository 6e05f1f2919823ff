import { hyp2f1, hyp2f1Series } from './hyp2f1'
import { logGamma } from './special'

const rel = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want)

// Closed forms from Abramowitz & Stegun 15.1.
describe('hyp2f1 against closed forms', () => {
  it('2F1(1, 1; 2; z) = −ln(1 − z)/z (15.1.3), also at z = 0.999', () => {
    for (const z of [1e-6, 0.3, 0.75, 0.95, 0.999]) expect(rel(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-13)
  })

  it('2F1(a, b; b; z) = (1 − z)^(−a) (15.1.8), with a in the hundreds', () => {
    for (const [a, b, z] of [[0.243, 2.426, 0.5], [300.5, 250.25, 0.5], [200.5, 250.25, 0.95], [2.5, 7, 0.9999]] as const) {
      expect(rel(hyp2f1(a, b, b, z), Math.pow(1 - z, -a))).toBeLessThan(1e-12)
    }
  })

  it('2F1(1/2, 1/2; 3/2; z) = arcsin(√z)/√z (15.1.6) across the 1 − z continuation', () => {
    for (const z of [0.1, 0.85, 0.9, 0.95, 0.999, 0.999999]) {
      expect(rel(hyp2f1(0.5, 0.5, 1.5, z), Math.asin(Math.sqrt(z)) / Math.sqrt(z))).toBeLessThan(1e-13)
    }
  })

  it('2F1(a, 1 − a; 3/2; sin²θ) = sin((2a − 1)θ) / ((2a − 1) sin θ) (15.1.15)', () => {
    for (const a of [0.2, 0.793, 3.25]) {
      for (const theta of [0.3, 1.2, 1.5, 1.57]) {
        const want = Math.sin((2 * a - 1) * theta) / ((2 * a - 1) * Math.sin(theta))
        expect(rel(hyp2f1(a, 1 - a, 1.5, Math.sin(theta) ** 2), want)).toBeLessThan(1e-12)
      }
    }
  })

  it('2F1(a, a + 1/2; 1 + 2a; z) = (1/2 + √(1 − z)/2)^(−2a) (15.1.13)', () => {
    for (const a of [0.243, 1.7, 40.5]) {
      for (const z of [0.2, 0.8, 0.93, 0.995]) {
        expect(rel(hyp2f1(a, a + 0.5, 1 + 2 * a, z), Math.pow(0.5 + 0.5 * Math.sqrt(1 - z), -2 * a))).toBeLessThan(1e-11)
      }
    }
  })

  it('2F1(a, a + 1/2; 1/2; z²) = ((1 + z)^(−2a) + (1 − z)^(−2a))/2 (15.1.9), a = 150', () => {
    const a = 150
    const z = 0.8
    const want = (Math.pow(1 + z, -2 * a) + Math.pow(1 - z, -2 * a)) / 2
    expect(rel(hyp2f1(a, a + 0.5, 0.5, z * z), want)).toBeLessThan(1e-11)
  })

  it('is a polynomial when a is a non-positive integer', () => {
    const [b, c, z] = [2.426, 3.219, 0.97]
    expect(hyp2f1(-2, b, c, z)).toBeCloseTo(1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)), 14)
  })

  it('tends to Gauss’s Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) as z → 1 when c − a − b > 0', () => {
    const [a, b, c] = [0.3, 0.2, 3.0]
    const gauss = Math.exp(logGamma(c) + logGamma(c - a - b) - logGamma(c - a) - logGamma(c - b))
    expect(rel(hyp2f1(a, b, c, 1 - 1e-12), gauss)).toBeLessThan(1e-10)
  })
})

describe('hyp2f1 domain', () => {
  it('is 1 at z = 0 and rejects z outside (−1, 1) or c a pole', () => {
    expect(hyp2f1(5, 7, 3, 0)).toBe(1)
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError)
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError)
  })

  it('the continuation and the plain series agree where both are usable', () => {
    const [a, b, c] = [1.45, -0.207, 2.219 + 0.5]
    for (const z of [0.91, 0.95, 0.98]) expect(rel(hyp2f1(a, b, c, z), hyp2f1Series(a, b, c, z))).toBeLessThan(1e-12)
  })
})
