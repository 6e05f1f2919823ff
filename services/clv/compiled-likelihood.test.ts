// The fits' compiled log-likelihoods must be the plain sums bit for bit: the speed-up may not
// change a single fitted digit (bench:clv, docs/clv.md "What it costs").
import fc from 'fast-check'
import { bgnbdLogLikelihood, compiledLogLikelihood as compiledBgNbd, type BgNbdRow } from './bgnbd'
import { compiledLogLikelihood as compiledGammaGamma, gammaGammaLogLikelihood, type GammaGammaRow } from './gamma-gamma'

const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true })

const bgnbdRow = fc
  .record({ x: fc.integer({ min: 0, max: 60 }), tDays: fc.integer({ min: 0, max: 800 }), txShare: fc.double({ min: 0, max: 1, noNaN: true }), count: fc.integer({ min: 1, max: 50 }) })
  .map(({ x, tDays, txShare, count }): BgNbdRow => ({ x, T: tDays / 7, tx: x === 0 ? 0 : Math.floor(txShare * tDays) / 7, count }))

test('BG/NBD: the compiled log-likelihood equals bgnbdLogLikelihood exactly, repeated values included', () => {
  fc.assert(
    fc.property(
      fc.array(bgnbdRow, { minLength: 1, maxLength: 200 }),
      fc.record({ r: positive(0.01, 20), alpha: positive(0.01, 50), a: positive(0.01, 20), b: positive(0.01, 50) }),
      fc.record({ r: positive(0.01, 20), alpha: positive(0.01, 50), a: positive(0.01, 20), b: positive(0.01, 50) }),
      (rows, p1, p2) => {
        const compiled = compiledBgNbd([...rows, ...rows])
        // Called twice with different parameters: the caches must not leak between calls.
        expect(compiled(p1)).toBe(bgnbdLogLikelihood(p1, [...rows, ...rows]))
        expect(compiled(p2)).toBe(bgnbdLogLikelihood(p2, [...rows, ...rows]))
      },
    ),
  )
})

test('BG/NBD: rows without a count weigh 1', () => {
  const rows: BgNbdRow[] = [{ x: 2, tx: 30.43, T: 38.86 }, { x: 0, tx: 0, T: 38.86 }]
  const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }
  expect(compiledBgNbd(rows)(p)).toBe(bgnbdLogLikelihood(p, rows))
})

test('Gamma-Gamma: the compiled log-likelihood equals gammaGammaLogLikelihood exactly', () => {
  const row = fc.record({ x: fc.integer({ min: 1, max: 60 }), m: positive(0.01, 2000), count: fc.integer({ min: 1, max: 5 }) })
  fc.assert(
    fc.property(
      fc.array(row, { minLength: 1, maxLength: 200 }),
      fc.record({ p: positive(0.05, 30), q: positive(0.05, 30), gamma: positive(0.05, 200) }),
      fc.record({ p: positive(0.05, 30), q: positive(0.05, 30), gamma: positive(0.05, 200) }),
      (rows: GammaGammaRow[], p1, p2) => {
        const compiled = compiledGammaGamma(rows)
        expect(compiled(p1)).toBe(gammaGammaLogLikelihood(p1, rows))
        expect(compiled(p2)).toBe(gammaGammaLogLikelihood(p2, rows))
      },
    ),
  )
})
