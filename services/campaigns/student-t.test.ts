import { regularizedBeta, studentTCdf, studentTQuantile } from './student-t'

// Reference values: published t tables and scipy.stats.t (1.17) for the non-integer df.
describe("Student's t", () => {
  test.each([
    [0.975, 10, 2.228138851986274],
    [0.975, 1, 12.706204736174694],
    [0.975, 2, 4.302652729749462],
    [0.975, 30, 2.0422724563012378],
    [0.95, 5, 2.0150483733330233],
    [0.975, 4.5, 2.6589123472044034],
    [0.975, 2.5, 3.5746548420036817],
    [0.995, 700.3, 2.582867984226832],
    [0.6, 3, 0.2766706623326898],
    [0.975, 1e6, 1.959966356814107],
  ])('the %p quantile with %p degrees of freedom is %p', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 8)
  })

  test('the quantile is symmetric about 0, and the median is 0', () => {
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138851986274, 8)
    expect(studentTQuantile(0.5, 7)).toBe(0)
  })

  test('the CDF matches scipy at a non-integer df, and inverts the quantile', () => {
    expect(studentTCdf(1.5, 7.3)).toBeCloseTo(0.912218453598457, 10)
    expect(studentTCdf(studentTQuantile(0.975, 17), 17)).toBeCloseTo(0.975, 12)
  })

  test('the incomplete beta has its closed forms: I_x(1, 1) = x and I_x(a, 1) = x^a', () => {
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14)
    expect(regularizedBeta(0.7, 3, 1)).toBeCloseTo(0.343, 14)
    expect(regularizedBeta(0, 2, 3)).toBe(0)
    expect(regularizedBeta(1, 2, 3)).toBe(1)
  })

  test('out-of-range arguments are refused, not answered with NaN', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError)
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError)
    expect(() => regularizedBeta(1.2, 1, 1)).toThrow(RangeError)
  })
})
