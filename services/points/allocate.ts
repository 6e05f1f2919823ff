/**
 * Whole points from exact fractions, shared out so that nothing is lost to per-line rounding.
 *
 * Each line's exact share is numerators[i] / denominator. The rule earns
 * floor(Σ numerators / denominator) in all, not Σ floor(numerators[i] / denominator): ten
 * lines of 0.99 at 1 point per EUR earn 9 points, not 0. Each line gets the floor of its
 * share, and the points left over go one each to the lines with the largest remainders
 * (ties: the earlier line), the largest-remainder method. So every line gets its share's
 * floor or floor + 1, a line whose share is zero gets nothing, and the result depends only
 * on the figures, never on iteration order.
 */
export function allocate(numerators: readonly bigint[], denominator: bigint): bigint[] {
  if (denominator <= 0n) throw new RangeError('denominator must be positive')
  if (numerators.some((n) => n < 0n)) throw new RangeError('shares must not be negative')
  const floors = numerators.map((n) => n / denominator)
  const total = numerators.reduce((a, b) => a + b, 0n) / denominator
  let leftover = total - floors.reduce((a, b) => a + b, 0n)
  const byRemainder = numerators
    .map((n, i) => ({ i, rem: n % denominator }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1))
  // leftover < the number of lines with a non-zero remainder, so only those are reached.
  for (const { i } of byRemainder) {
    if (leftover === 0n) break
    floors[i] = floors[i]! + 1n
    leftover -= 1n
  }
  return floors
}
