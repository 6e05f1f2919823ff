import { DAIRY_WEEKEND, SATURDAY, makeRules, makeSale } from './points.factories'
import { scoreSwipe } from './score-swipe'

const dairy = (quantity: string, unit_price: string, extra: Record<string, string> = {}) => ({
  sku: 'MILK-1L',
  category: 'Dairy',
  quantity,
  unit_price,
  ...extra,
})
const bakery = (quantity: string, unit_price: string, extra: Record<string, string> = {}) => ({
  sku: 'BREAD-WH',
  category: 'Bakery',
  quantity,
  unit_price,
  ...extra,
})

describe('worked examples', () => {
  test('3 × 1.99 dairy at 1 pt/EUR with dairy ×2 this weekend earns 10', () => {
    // Arrange: amount 5.97 → base floor(5.97) = 5; dairy adds floor(5.97 × 1) = 5.
    const sale = makeSale([dairy('3', '1.99')], { occurred_at: SATURDAY })
    const rules = makeRules({ multipliers: [DAIRY_WEEKEND] })
    // Act
    const score = scoreSwipe(sale, { rules, tier: null })
    // Assert
    expect(score.total).toBe(10)
    expect(score.lines).toEqual([{ line_no: 1, points: 10 }])
    expect(score.breakdown).toEqual([
      { rule_id: 'rul_base_eur', name: 'Base points', points: 5 },
      { rule_id: 'rul_dairy_weekend', name: 'Double points on dairy this weekend', points: 5 },
    ])
  })

  test('cheap lines add up: ten lines of 0.99 at 1 pt/EUR earn 9, not 0', () => {
    // Arrange: 9.90 in all → 9. Each line's share is 0.99 (floor 0, remainder 0.99); the 9
    // points left over go to the first nine lines, as the remainders tie.
    const lines = Array.from({ length: 10 }, (_, i) => ({ sku: `SKU-${i}`, category: 'Grocery', quantity: '1', unit_price: '0.99' }))
    // Act
    const score = scoreSwipe(makeSale(lines), { rules: makeRules(), tier: null })
    // Assert
    expect(score.total).toBe(9)
    expect(score.lines.map((l) => l.points)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0])
  })

  test('the point left over by flooring goes to the line with the larger remainder', () => {
    // Arrange: milk 2 × 0.99 = 1.98, bread 2.49 − 0.50 = 1.99; 3.97 in all → 3 points.
    // Floors 1 + 1; the third point goes to bread (0.99 left over beats milk's 0.98).
    const sale = makeSale([dairy('2', '0.99'), bakery('1', '2.49', { discount: '0.50' })])
    // Act
    const score = scoreSwipe(sale, { rules: makeRules(), tier: null })
    // Assert
    expect(score.lines).toEqual([
      { line_no: 1, points: 1 },
      { line_no: 2, points: 2 },
    ])
  })

  test('a fractional rate is exact: 3.99 at 2.5 pts/EUR earns 9 (9.975 rounded down)', () => {
    const rules = makeRules({ base_rates: [{ id: 'rul_b', name: 'Base', currency: 'EUR', points_per_unit: '2.5' }] })
    const score = scoreSwipe(makeSale([bakery('1', '3.99')]), { rules, tier: null })
    expect(score.total).toBe(9)
  })

  test('gold ×1.5 adds half the base on top, on every line', () => {
    // Arrange: 1.98 + 1.99 → base 3 (milk 1, bread 2). Tier extra: 0.99 + 0.995 = 1.985 → 1,
    // to bread (remainder 0.995 > 0.99). Lines: milk 1, bread 3; total 4.
    const sale = makeSale([dairy('2', '0.99'), bakery('1', '2.49', { discount: '0.50' })])
    const rules = makeRules({ tier_multipliers: [{ id: 'rul_gold', name: 'Gold ×1.5', tier: 'gold', multiplier: '1.5' }] })
    // Act
    const score = scoreSwipe(sale, { rules, tier: 'gold' })
    // Assert
    expect(score.lines.map((l) => l.points)).toEqual([1, 3])
    expect(score.breakdown).toContainEqual({ rule_id: 'rul_gold', name: 'Gold ×1.5', points: 1 })
    expect(score.total).toBe(4)
  })

  test('multipliers add up rather than compound: ×2 dairy and ×3 on the SKU make ×4', () => {
    // Arrange: 5 × 1.00 = 5.00 → base 5, dairy +5, milk SKU +10 → 20 (compounding would give 30).
    const sale = makeSale([dairy('5', '1.00')], { occurred_at: SATURDAY })
    const milk = { id: 'rul_milk', name: 'Triple on milk', scope: { type: 'skus', skus: ['MILK-1L'] }, multiplier: '3' }
    const rules = makeRules({ multipliers: [DAIRY_WEEKEND, milk] })
    // Act
    const score = scoreSwipe(sale, { rules, tier: null })
    // Assert
    expect(score.total).toBe(20)
    expect(score.breakdown.map((b) => [b.rule_id, b.points])).toEqual([
      ['rul_base_eur', 5],
      ['rul_dairy_weekend', 5],
      ['rul_milk', 10],
    ])
  })

  test('the tier multiplier applies to the base, not to points a promotion added', () => {
    // Arrange: 10.00 dairy on Saturday, gold ×1.5: base 10, dairy +10, gold +5 (not +10).
    const sale = makeSale([dairy('10', '1.00')], { occurred_at: SATURDAY })
    const rules = makeRules({
      multipliers: [DAIRY_WEEKEND],
      tier_multipliers: [{ id: 'rul_gold', name: 'Gold', tier: 'gold', multiplier: '1.5' }],
    })
    // Act
    const score = scoreSwipe(sale, { rules, tier: 'gold' })
    // Assert
    expect(score.total).toBe(25)
  })

  test('a category matches whatever case the till writes it in', () => {
    const sale = makeSale([{ ...dairy('3', '1.00'), category: 'DAIRY' }], { occurred_at: SATURDAY })
    const score = scoreSwipe(sale, { rules: makeRules({ multipliers: [DAIRY_WEEKEND] }), tier: null })
    expect(score.total).toBe(6)
  })

  test('a multiplier leaves lines outside its scope alone', () => {
    // Arrange: dairy 3.00 → 3 + 3; bakery 4.00 → 4 only.
    const sale = makeSale([dairy('3', '1.00'), bakery('4', '1.00')], { occurred_at: SATURDAY })
    // Act
    const score = scoreSwipe(sale, { rules: makeRules({ multipliers: [DAIRY_WEEKEND] }), tier: null })
    // Assert
    expect(score.lines.map((l) => l.points)).toEqual([6, 4])
  })
})

describe('rules in force at the purchase', () => {
  const rules = makeRules({ multipliers: [DAIRY_WEEKEND] })
  const scoreAt = (occurred_at: string) => scoreSwipe(makeSale([dairy('3', '1.00')], { occurred_at }), { rules, tier: null }).total

  test.each([
    ['Friday 23:59:59 Paris', '2026-11-20T23:59:59+01:00', 3],
    ['Saturday 00:00 Paris, the first instant', '2026-11-21T00:00:00+01:00', 6],
    ['Sunday 23:30 Paris, written in UTC', '2026-11-22T22:30:00Z', 6],
    ['Monday 00:00 Paris, the end (exclusive)', '2026-11-23T00:00:00+01:00', 3],
    ['Monday 00:30 Paris, still Sunday in UTC', '2026-11-23T00:30:00+01:00', 3],
  ])('a purchase on %s (%s) earns %i', (_label, occurredAt, expected) => {
    expect(scoreAt(occurredAt)).toBe(expected)
  })

  test("a till posting days late gets the rules of the purchase's day, not today's", () => {
    // Arrange: bought Saturday, scored the next Wednesday when the promotion is over.
    jest.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z') })
    try {
      // Act
      const total = scoreAt(SATURDAY)
      // Assert
      expect(total).toBe(6)
    } finally {
      jest.useRealTimers()
    }
  })

  test('a base rate changed after the purchase does not apply to it', () => {
    // Arrange: 1 pt/EUR until 1 Dec, 2 pts/EUR from then; the sale was on 30 Nov.
    const changing = makeRules({
      base_rates: [
        { id: 'rul_old', name: 'Base', currency: 'EUR', points_per_unit: '1', valid_to: '2026-12-01T00:00:00Z' },
        { id: 'rul_new', name: 'Base', currency: 'EUR', points_per_unit: '2', valid_from: '2026-12-01T00:00:00Z' },
      ],
    })
    const sale = makeSale([bakery('10', '1.00')], { occurred_at: '2026-11-30T18:00:00+01:00' })
    // Act
    const score = scoreSwipe(sale, { rules: changing, tier: null })
    // Assert
    expect(score.breakdown).toEqual([{ rule_id: 'rul_old', name: 'Base', points: 10 }])
  })

  test('`at` overrides the instant whose rules apply', () => {
    const sale = makeSale([dairy('3', '1.00')], { occurred_at: SATURDAY })
    const score = scoreSwipe(sale, { rules, tier: null, at: new Date('2026-12-01T00:00:00Z') })
    expect(score.total).toBe(3)
  })

  test('a multiplier for some tiers skips other tiers and members with none', () => {
    const goldOnly = makeRules({ multipliers: [{ ...DAIRY_WEEKEND, tiers: ['gold'] }] })
    const sale = makeSale([dairy('3', '1.00')], { occurred_at: SATURDAY })
    expect(scoreSwipe(sale, { rules: goldOnly, tier: 'gold' }).total).toBe(6)
    expect(scoreSwipe(sale, { rules: goldOnly, tier: 'silver' }).total).toBe(3)
    expect(scoreSwipe(sale, { rules: goldOnly, tier: null }).total).toBe(3)
  })

  test('a currency with no base rate earns nothing, bonuses included', () => {
    const rules = makeRules({ bonuses: [{ id: 'rul_x', name: 'X', points: 50, condition: { type: 'sku', sku: 'MILK-1L' } }] })
    const score = scoreSwipe(makeSale([dairy('3', '1.00')], { currency: 'GBP' }), { rules, tier: null })
    expect(score).toEqual({ total: 0, lines: [{ line_no: 1, points: 0 }], bonuses: [], breakdown: [] })
  })
})

describe('basket bonuses', () => {
  const skuBonus = { id: 'rul_coffee', name: '+50 with coffee', points: 50, condition: { type: 'sku', sku: 'COFFEE-500' } }
  const bigBasket = { id: 'rul_big', name: '+100 over 20.00', points: 100, condition: { type: 'basket_total', currency: 'EUR', min_total: '20.00' } }
  const rules = makeRules({ bonuses: [skuBonus, bigBasket] })
  const coffee = { sku: 'COFFEE-500', category: 'Hot drinks', quantity: '1', unit_price: '4.99' }

  test('a SKU bonus is paid once per basket, to no line', () => {
    // Arrange: 4.99 + 4.99 → base 9, plus 50.
    const score = scoreSwipe(makeSale([coffee, coffee]), { rules, tier: null })
    // Assert
    expect(score.total).toBe(59)
    expect(score.lines.map((l) => l.points)).toEqual([5, 4])
    expect(score.bonuses).toEqual([{ rule_id: 'rul_coffee', name: '+50 with coffee', points: 50, condition: skuBonus.condition }])
  })

  test.each([
    ['19.99', 19],
    ['20.00', 120],
  ])('a basket of %s earns %i: the threshold is inclusive', (price, expected) => {
    const score = scoreSwipe(makeSale([bakery('1', price)]), { rules, tier: null })
    expect(score.total).toBe(expected)
  })

  test('the threshold is on the amount after line discounts', () => {
    // 21.00 − 1.01 = 19.99: below 20.00.
    const score = scoreSwipe(makeSale([bakery('1', '21.00', { discount: '1.01' })]), { rules, tier: null })
    expect(score.bonuses).toEqual([])
  })

  test('a basket-total bonus in one currency is not paid on a basket in another', () => {
    const gbp = makeRules({
      base_rates: [{ id: 'rul_gbp', name: 'Base', currency: 'GBP', points_per_unit: '1' }],
      bonuses: [bigBasket],
    })
    const score = scoreSwipe(makeSale([bakery('1', '25.00')], { currency: 'GBP' }), { rules: gbp, tier: null })
    expect(score.total).toBe(25)
  })

  test('a bonus outside its window is not paid', () => {
    const expired = makeRules({ bonuses: [{ ...skuBonus, valid_to: '2026-01-01T00:00:00Z' }] })
    expect(scoreSwipe(makeSale([coffee]), { rules: expired, tier: null }).total).toBe(4)
  })
})

describe('guards', () => {
  test('a line worth 0.00 earns 0 even when multipliers and leftovers are about', () => {
    // Arrange: 0.00, 0.50, 0.60 of dairy on Saturday. Base 1.10 → 1, dairy 1.10 → 1; each
    // leftover point goes to the largest remainder (0.60), never to the 0.00 line.
    const sale = makeSale([dairy('1', '1.00', { discount: '1.00' }), dairy('1', '0.50'), dairy('1', '0.60')], {
      occurred_at: SATURDAY,
    })
    // Act
    const score = scoreSwipe(sale, { rules: makeRules({ multipliers: [DAIRY_WEEKEND] }), tier: null })
    // Assert
    expect(score.lines.map((l) => l.points)).toEqual([0, 0, 2])
  })

  test('a return is refused: returns are reversed, not scored', () => {
    const ret = makeSale([dairy('1', '1.00')], { kind: 'return', original_txn_id: 'T-1' })
    expect(() => scoreSwipe(ret, { rules: makeRules(), tier: null })).toThrow(/reverseReturn/)
  })
})
