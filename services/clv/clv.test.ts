import { conditionalExpectedPurchases, pAlive, type BgNbdParams } from './bgnbd'
import {
  churnBand,
  createScorer,
  customerValue,
  discountedExpectedPurchases,
  emptyScore,
  MONTH_WEEKS,
  scoreHistory,
} from './clv'

const published: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }
const rel = (got: number, want: number): number => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want))

describe('churn band (docs/clv.md)', () => {
  it('is low below 0.3, medium below 0.7, high from 0.7', () => {
    expect(churnBand(0)).toBe('low')
    expect(churnBand(0.2999)).toBe('low')
    expect(churnBand(0.3)).toBe('medium')
    expect(churnBand(0.6999)).toBe('medium')
    expect(churnBand(0.7)).toBe('high')
    expect(churnBand(1)).toBe('high')
  })
})

describe('discounted expected purchases', () => {
  it('telescopes to E[Y(H months)] without discounting', () => {
    const value = discountedExpectedPurchases(published, 2, 30.43, 38.86, 12, 0)
    expect(value).toBeCloseTo(conditionalExpectedPurchases(published, 2, 30.43, 38.86, 12 * MONTH_WEEKS), 12)
  })

  it('discounts the first month once: E[Y(1 month)]/(1 + d)', () => {
    const value = discountedExpectedPurchases(published, 2, 30.43, 38.86, 1, 0.01)
    expect(value).toBeCloseTo(conditionalExpectedPurchases(published, 2, 30.43, 38.86, MONTH_WEEKS) / 1.01, 12)
  })

  it('is 0 over 0 months and rejects a bad horizon or rate', () => {
    expect(discountedExpectedPurchases(published, 2, 30.43, 38.86, 0, 0.01)).toBe(0)
    expect(() => discountedExpectedPurchases(published, 1, 1, 2, 1.5, 0.01)).toThrow(RangeError)
    expect(() => discountedExpectedPurchases(published, 1, 1, 2, 12, -0.5)).toThrow(RangeError)
  })

  it('a month is 365.25/12 days', () => {
    expect(MONTH_WEEKS * 7 * 12).toBeCloseTo(365.25, 12)
  })

  it('CLV is expected spend times discounted visits', () => {
    expect(customerValue(35, 2)).toBe(70)
  })
})

describe('the row scorer', () => {
  const options = { horizonMonths: 24, monthlyDiscount: 0.01 }
  const scorer = createScorer(published, options)
  // x = 0, x in the hundreds, T very large, T close to 0, t_x = T.
  const rows = [[0, 0, 0], [0, 0, 1e-9], [0, 0, 70], [2, 30.43, 38.86], [1, 1e-9, 1e-9], [300, 52, 52], [500, 10, 1e6], [5, 5, 5]] as const

  it('gives what the plain formulas give, for every horizon, at the edges too', () => {
    for (const [x, tx, T] of rows) {
      const s = scorer.score(x, tx, T)
      expect(rel(s.pAlive, pAlive(published, x, tx, T))).toBeLessThan(1e-14)
      expect(s.churnRisk).toBeCloseTo(1 - s.pAlive, 15)
      expect(s.churnBand).toBe(churnBand(1 - s.pAlive))
      expect(rel(s.expectedVisits30, conditionalExpectedPurchases(published, x, tx, T, 30 / 7))).toBeLessThan(1e-12)
      expect(rel(s.expectedVisits90, conditionalExpectedPurchases(published, x, tx, T, 90 / 7))).toBeLessThan(1e-12)
      expect(rel(s.expectedVisits365, conditionalExpectedPurchases(published, x, tx, T, 365 / 7))).toBeLessThan(1e-12)
      expect(rel(s.discountedVisits, discountedExpectedPurchases(published, x, tx, T, 24, 0.01))).toBeLessThan(1e-12)
    }
  })

  it('orders the horizons and discounts less than it expects', () => {
    const s = scorer.score(2, 30.43, 38.86)
    expect(s.expectedVisits30).toBeLessThan(s.expectedVisits90)
    expect(s.expectedVisits90).toBeLessThan(s.expectedVisits365)
    expect(s.discountedVisits).toBeLessThan(conditionalExpectedPurchases(published, 2, 30.43, 38.86, 24 * MONTH_WEEKS))
  })

  it('writes into the object it is given', () => {
    const out = emptyScore()
    expect(scorer.score(2, 30.43, 38.86, out)).toBe(out)
    expect(out.expectedVisits365).toBeGreaterThan(0)
  })

  it('scoreHistory gives the same as a scorer, and follows new parameters', () => {
    const a = scoreHistory(published, { x: 2, tx: 30.43, T: 38.86 }, options)
    expect(a).toEqual(scorer.score(2, 30.43, 38.86))
    const other = { ...published, r: 0.5 }
    const b = scoreHistory(other, { x: 2, tx: 30.43, T: 38.86 }, options)
    expect(b).toEqual(createScorer(other, options).score(2, 30.43, 38.86))
  })

  it('rejects a bad horizon or rate', () => {
    expect(() => createScorer(published, { horizonMonths: -1, monthlyDiscount: 0 })).toThrow(RangeError)
    expect(() => createScorer(published, { horizonMonths: 12, monthlyDiscount: NaN })).toThrow(RangeError)
  })
})
