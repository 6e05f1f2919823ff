import fc from 'fast-check'
import { formatScaled } from '../platform/decimal'
import type { NormalizedSwipe } from '../ingest/swipe-rules'
import { makeRules, makeSale } from './points.factories'
import { scoreSwipe } from './score-swipe'

describe('properties', () => {
  const CATEGORIES = ['Dairy', 'Bakery', 'Produce']
  const lineArb = fc.record({
    sku: fc.constantFrom('A', 'B', 'C', 'D'),
    category: fc.constantFrom(...CATEGORIES),
    cents: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 500_000n })),
    milli: fc.bigInt({ min: 1n, max: 20_000n }),
  })
  const rate = fc.bigInt({ min: 0n, max: 50_000n }).map((u) => formatScaled(u, 4))
  const mult = fc.bigInt({ min: 10_000n, max: 50_000n }).map((u) => formatScaled(u, 4))
  const rulesArb = fc.record({ rate, dairy: mult, skuB: mult, gold: mult, threshold: fc.bigInt({ min: 1n, max: 1_000_000n }) }).map((r) =>
    makeRules({
      base_rates: [{ id: 'rul_b', name: 'Base', currency: 'EUR', points_per_unit: r.rate }],
      multipliers: [
        { id: 'rul_d', name: 'Dairy', scope: { type: 'category', category: 'Dairy' }, multiplier: r.dairy },
        { id: 'rul_s', name: 'SKU B', scope: { type: 'skus', skus: ['B'] }, multiplier: r.skuB },
      ],
      tier_multipliers: [{ id: 'rul_g', name: 'Gold', tier: 'gold', multiplier: r.gold }],
      bonuses: [
        { id: 'rul_c', name: 'C bonus', points: 25, condition: { type: 'sku', sku: 'C' } },
        { id: 'rul_t', name: 'Big', points: 40, condition: { type: 'basket_total', currency: 'EUR', min_total: formatScaled(r.threshold, 2) } },
      ],
    }),
  )
  type LineArb = { sku: string; category: string; cents: bigint; milli: bigint }
  const saleOf = (lines: LineArb[]): NormalizedSwipe => ({
    ...makeSale([{ sku: 'X', category: 'Y', quantity: '1', unit_price: '1.00' }]),
    total: formatScaled(lines.reduce((s, l) => s + l.cents, 0n), 2),
    lines: lines.map((l, i) => ({
      line_no: i + 1,
      sku: l.sku,
      category: l.category,
      quantity: formatScaled(l.milli, 3),
      unit_price: '0.0000',
      discount: '0.00',
      amount: formatScaled(l.cents, 2),
    })),
  })
  const tierArb = fc.constantFrom<string | null>('gold', 'silver', null)

  test('the breakdown sums to the total, and so do the lines plus the basket bonuses', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 12 }), rulesArb, tierArb, (lines, rules, tier) => {
        const score = scoreSwipe(saleOf(lines), { rules, tier })
        const sum = (xs: { points: number }[]) => xs.reduce((s, x) => s + x.points, 0)
        expect(sum(score.breakdown)).toBe(score.total)
        expect(sum(score.lines) + sum(score.bonuses)).toBe(score.total)
        for (const figure of [...score.lines, ...score.breakdown]) {
          expect(Number.isSafeInteger(figure.points) && figure.points >= 0).toBe(true)
        }
      }),
    )
  })

  test('a line worth 0.00 always earns 0', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 12 }), rulesArb, tierArb, (lines, rules, tier) => {
        const score = scoreSwipe(saleOf(lines), { rules, tier })
        lines.forEach((line, i) => {
          if (line.cents === 0n) expect(score.lines[i]!.points).toBe(0)
        })
      }),
    )
  })

  test('splitting a line in two at the till does not change the points earned', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        rulesArb,
        tierArb,
        (lines, at, cut, rules, tier) => {
          const i = at % lines.length
          const line = lines[i]!
          const first = (line.cents * BigInt(Math.floor(cut * 1000))) / 1000n
          const split = [...lines.slice(0, i), { ...line, cents: first }, { ...line, cents: line.cents - first }, ...lines.slice(i + 1)]
          const whole = scoreSwipe(saleOf(lines), { rules, tier })
          const parts = scoreSwipe(saleOf(split), { rules, tier })
          expect(parts.total).toBe(whole.total)
          expect(parts.breakdown).toEqual(whole.breakdown)
        },
      ),
    )
  })

  test('each line gets within one point per rule of its exact share, so no line is starved', () => {
    // With only a base rate, a line's points are floor(A·R) or floor(A·R) + 1.
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 12 }), rate, (lines, r) => {
        const rules = makeRules({ base_rates: [{ id: 'rul_b', name: 'Base', currency: 'EUR', points_per_unit: r }] })
        const score = scoreSwipe(saleOf(lines), { rules, tier: null })
        const rateUnits = BigInt(r.replace('.', ''))
        lines.forEach((line, i) => {
          const floor = Number((line.cents * rateUnits) / 1_000_000n)
          expect(score.lines[i]!.points - floor).toBeGreaterThanOrEqual(0)
          expect(score.lines[i]!.points - floor).toBeLessThanOrEqual(1)
        })
      }),
    )
  })
})
