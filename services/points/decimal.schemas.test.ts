import { toPoints, unitsOf } from './decimal.schemas'

test('unitsOf reads scaled units and refuses what the schemas would', () => {
  expect(unitsOf('5.97', 2)).toBe(597n)
  expect(() => unitsOf('5.975', 2)).toThrow(/at most 2 places/)
})

test('toPoints refuses a figure beyond the exact integer range', () => {
  expect(toPoints(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER)
  expect(() => toPoints(9_007_199_254_740_992n)).toThrow(RangeError)
})
