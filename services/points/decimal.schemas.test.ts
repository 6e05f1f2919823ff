import { decimalString, toPoints, unitsOf } from './decimal.schemas'

describe('decimalString', () => {
  const rate = decimalString(4, { min: '1', max: '100' })

  test('parses to canonical text with every decimal place written', () => {
    expect(rate.parse('2')).toBe('2.0000')
    expect(rate.parse('1.5')).toBe('1.5000')
  })

  test.each([
    ['too many places', '1.00001'],
    ['below the minimum', '0.9999'],
    ['above the maximum', '100.0001'],
    ['exponent notation', '1e1'],
    ['surrounding spaces', ' 2'],
  ])('refuses %s', (_label, text) => {
    expect(rate.safeParse(text).success).toBe(false)
  })

  test('refuses a JSON number: staff-entered figures must be exact text', () => {
    expect(rate.safeParse(2).success).toBe(false)
  })

  test('an exclusive minimum refuses the minimum itself', () => {
    const positive = decimalString(2, { min: '0', max: '10', minExclusive: true })
    expect(positive.safeParse('0.00').success).toBe(false)
    expect(positive.parse('0.01')).toBe('0.01')
  })
})

test('unitsOf reads scaled units and refuses what the schemas would', () => {
  expect(unitsOf('5.97', 2)).toBe(597n)
  expect(() => unitsOf('5.975', 2)).toThrow(/at most 2 places/)
})

test('toPoints refuses a figure beyond the exact integer range', () => {
  expect(toPoints(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER)
  expect(() => toPoints(9_007_199_254_740_992n)).toThrow(RangeError)
})
