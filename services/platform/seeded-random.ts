/**
 * A seeded uniform generator on [0, 1): mulberry32, a small, fast 32-bit PRNG. Not for anything
 * secret (coupon codes use the CSPRNG); for generated data that must be the same on every run
 * with the same seed: the demo supermarket and the tests' synthetic shoppers.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
