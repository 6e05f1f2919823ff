import fc from 'fast-check'
import { allocate } from './allocate'

test('the whole is the floor of the sum, not the sum of floors', () => {
  // Arrange: three shares of 0.7 (denominator 10): floors 0, 0, 0; floor(2.1) = 2.
  // Act
  const shares = allocate([7n, 7n, 7n], 10n)
  // Assert: equal remainders, so the earlier lines get the two points.
  expect(shares).toEqual([1n, 1n, 0n])
})

test('left-over points go to the largest remainders first', () => {
  // 0.2 + 0.9 + 0.5 = 1.6 → 1 point, to the 0.9.
  expect(allocate([2n, 9n, 5n], 10n)).toEqual([0n, 1n, 0n])
})

test('a zero share gets nothing, whatever is left over', () => {
  expect(allocate([0n, 15n, 15n], 10n)).toEqual([0n, 2n, 1n])
})

test('nothing to share gives nothing; bad input is refused', () => {
  expect(allocate([], 10n)).toEqual([])
  expect(() => allocate([1n], 0n)).toThrow(RangeError)
  expect(() => allocate([-1n], 10n)).toThrow(RangeError)
})

test('for any shares: the total is floor(Σ / d), each gets its floor or one more, zero stays zero', () => {
  fc.assert(
    fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n })), fc.bigInt({ min: 1n, max: 10n ** 10n }), (shares, d) => {
      const result = allocate(shares, d)
      const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n)
      expect(sum(result)).toBe(sum(shares) / d)
      shares.forEach((s, i) => {
        expect(result[i]! - s / d === 0n || result[i]! - s / d === 1n).toBe(true)
        if (s === 0n) expect(result[i]).toBe(0n)
      })
    }),
  )
})
