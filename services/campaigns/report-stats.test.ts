import { divRound, incrementalTotalCents, meanCents, roi, welch } from './report-stats'

const group = (values: number[]) => ({
  members: values.length,
  sum: values.reduce((s, v) => s + BigInt(v), 0n),
  sumSq: values.reduce((s, v) => s + BigInt(v) * BigInt(v), 0n),
})

describe('campaign report arithmetic', () => {
  test('divRound rounds half away from zero on both signs', () => {
    expect([divRound(5n, 2n), divRound(-5n, 2n), divRound(7n, 3n), divRound(-7n, 3n), divRound(1n, -4n)]).toEqual([3n, -3n, 2n, -2n, 0n])
  })

  test("Welch's interval matches a hand computation", () => {
    // treated 1, 2, 3, 4 (mean 2.5, s² 5/3); holdout 1, 1, 2 (mean 4/3, s² 1/3).
    // se² = 5/12 + 1/9 = 19/36; df = (19/36)² / ((5/12)²/3 + (1/9)²/2) = 0.278549 / 0.064043 = 4.3494
    const r = welch(group([1, 2, 3, 4]), group([1, 1, 2]), 'visits per member')
    expect(r.estimate).toBeCloseTo(7 / 6, 4)
    expect(r.std_error).toBeCloseTo(Math.sqrt(19 / 36), 6)
    expect(r.df).toBeCloseTo(4.35, 2)
    // scipy: t.ppf(0.975, 4.349398) = 2.690657
    expect(r.ci95!.high - r.estimate!).toBeCloseTo(2.690657 * Math.sqrt(19 / 36), 3)
  })

  test('undefined figures are null with a reason', () => {
    expect(welch(group([1, 2]), group([]), 'x')).toMatchObject({ estimate: null, ci95: null, reason: 'no holdout members' })
    expect(welch(group([1, 2]), group([5]), 'x')).toMatchObject({ estimate: -3.5, ci95: null })
    expect(welch(group([2, 2]), group([1, 1]), 'x')).toMatchObject({ estimate: 1, ci95: { low: 1, high: 1 }, df: null })
  })

  test('the total increment and ROI are exact in cents', () => {
    // treated 3 members Σ 1000 cents, holdout 2 members Σ 500: (1000/3 − 250) × 3 = 250 cents.
    const t = { members: 3, sum: 1000n, sumSq: 0n }
    const h = { members: 2, sum: 500n, sumSq: 0n }
    expect(incrementalTotalCents(t, h)).toBe(250n)
    expect(meanCents(t)).toBe(333n)
    // margin 0.3: 75 cents of margin against 50 cents of discounts: ROI (75 − 50) / 50 = 0.5.
    const r = roi({ incrementalCents: 250n, perMember: welch(t, h, 'x'), treatedMembers: 3, marginUnits: 3000n, costCents: 50n })
    expect(r).toMatchObject({ margin: '0.3000', value: 0.5, net_gain: '0.25' })
    expect(roi({ incrementalCents: 250n, perMember: welch(t, h, 'x'), treatedMembers: 3, marginUnits: 10000n, costCents: 0n })).toMatchObject({ value: null, net_gain: '2.50' })
  })
})
