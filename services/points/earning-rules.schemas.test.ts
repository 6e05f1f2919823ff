import { EarningRulesSchema } from './earning-rules.schemas'
import { DAIRY_WEEKEND } from './points.factories'

const base = { id: 'rul_base_eur', name: 'Base points', currency: 'EUR', points_per_unit: '1' }

/** Paths of the problems zod reports for `input`, or [] when it parses. */
function problemPaths(input: Record<string, unknown>): (string | number)[][] {
  const result = EarningRulesSchema.safeParse({ base_rates: [base], ...input })
  return result.success ? [] : result.error.issues.map((i) => i.path as (string | number)[])
}

test('a full configuration parses, with decimals made canonical and empty lists defaulted', () => {
  // Arrange
  const input = {
    base_rates: [base],
    multipliers: [DAIRY_WEEKEND],
    tier_multipliers: [{ id: 'rul_gold', name: 'Gold ×1.5', tier: 'gold', multiplier: '1.5' }],
    bonuses: [
      { id: 'rul_coffee', name: '+50 with coffee', points: 50, condition: { type: 'sku', sku: 'COFFEE-500' } },
      { id: 'rul_big', name: '+100 over 50', points: 100, condition: { type: 'basket_total', currency: 'EUR', min_total: '50' } },
    ],
  }
  // Act
  const rules = EarningRulesSchema.parse(input)
  // Assert
  expect(rules.base_rates[0]!.points_per_unit).toBe('1.0000')
  expect(rules.multipliers[0]!.multiplier).toBe('2.0000')
  expect(rules.tier_multipliers[0]!.multiplier).toBe('1.5000')
  expect(rules.bonuses[1]!.condition).toEqual({ type: 'basket_total', currency: 'EUR', min_total: '50.00' })
  expect(EarningRulesSchema.parse({ base_rates: [base] })).toEqual({
    base_rates: [{ ...base, points_per_unit: '1.0000' }],
    multipliers: [],
    tier_multipliers: [],
    bonuses: [],
  })
})

describe('refused values, each at its own path', () => {
  test.each([
    ['a rate with 5 decimals', { base_rates: [{ ...base, points_per_unit: '0.00001' }] }, ['base_rates', 0, 'points_per_unit']],
    ['a rate given as a number', { base_rates: [{ ...base, points_per_unit: 1 }] }, ['base_rates', 0, 'points_per_unit']],
    ['a negative rate', { base_rates: [{ ...base, points_per_unit: '-1' }] }, ['base_rates', 0, 'points_per_unit']],
    ['an id without the rul_ prefix', { base_rates: [{ ...base, id: 'base' }] }, ['base_rates', 0, 'id']],
    ['a lower-case currency', { base_rates: [{ ...base, currency: 'eur' }] }, ['base_rates', 0, 'currency']],
    ['a multiplier below 1, which would take points away', { multipliers: [{ ...DAIRY_WEEKEND, multiplier: '0.5' }] }, ['multipliers', 0, 'multiplier']],
    ['an empty SKU list', { multipliers: [{ ...DAIRY_WEEKEND, scope: { type: 'skus', skus: [] } }] }, ['multipliers', 0, 'scope', 'skus']],
    ['an unknown scope type', { multipliers: [{ ...DAIRY_WEEKEND, scope: { type: 'brand', brand: 'X' } }] }, ['multipliers', 0, 'scope', 'type']],
    ['a window that ends before it starts', { multipliers: [{ ...DAIRY_WEEKEND, valid_to: '2026-11-20T00:00:00+01:00' }] }, ['multipliers', 0, 'valid_to']],
    ['an instant without an offset', { multipliers: [{ ...DAIRY_WEEKEND, valid_from: '2026-11-21T00:00:00' }] }, ['multipliers', 0, 'valid_from']],
    ['a tier code in capitals', { tier_multipliers: [{ id: 'rul_g', name: 'G', tier: 'Gold', multiplier: '1.5' }] }, ['tier_multipliers', 0, 'tier']],
    ['bonus points with a fraction', { bonuses: [{ id: 'rul_x', name: 'X', points: 2.5, condition: { type: 'sku', sku: 'X' } }] }, ['bonuses', 0, 'points']],
    [
      'a basket threshold of 0.00, which a full return could never fall below',
      { bonuses: [{ id: 'rul_x', name: 'X', points: 5, condition: { type: 'basket_total', currency: 'EUR', min_total: '0.00' } }] },
      ['bonuses', 0, 'condition', 'min_total'],
    ],
    ['an unknown field', { base_rates: [{ ...base, colour: 'red' }] }, ['base_rates', 0]],
  ])('%s', (_label, input, path) => {
    expect(problemPaths(input)).toContainEqual(path)
  })
})

describe('ambiguity is refused rather than resolved by list order', () => {
  test('two rules with one id are refused', () => {
    const result = EarningRulesSchema.safeParse({ base_rates: [base], multipliers: [{ ...DAIRY_WEEKEND, id: 'rul_base_eur' }] })
    expect(result.error?.issues.map((i) => i.message)).toEqual(['rule id rul_base_eur is used more than once'])
  })

  test('two base rates for one currency in force at once are refused', () => {
    const paths = problemPaths({
      base_rates: [
        { ...base, valid_to: '2026-12-01T00:00:00Z' },
        { ...base, id: 'rul_new', points_per_unit: '2', valid_from: '2026-11-30T00:00:00Z' },
      ],
    })
    expect(paths).toEqual([['base_rates', 1]])
  })

  test('base rates back to back, or in different currencies, are fine', () => {
    expect(
      problemPaths({
        base_rates: [
          { ...base, valid_to: '2026-12-01T00:00:00Z' },
          { ...base, id: 'rul_new', points_per_unit: '2', valid_from: '2026-12-01T01:00:00+01:00' },
          { ...base, id: 'rul_gbp', currency: 'GBP' },
        ],
      }),
    ).toEqual([])
  })

  test('two multipliers for one tier in force at once are refused', () => {
    const gold = { id: 'rul_g1', name: 'Gold', tier: 'gold', multiplier: '1.5' }
    expect(problemPaths({ tier_multipliers: [gold, { ...gold, id: 'rul_g2', valid_from: '2027-01-01T00:00:00Z' }] })).toEqual([
      ['tier_multipliers', 1],
    ])
  })

  test('overlapping product multipliers are allowed: they add up by design', () => {
    expect(problemPaths({ multipliers: [DAIRY_WEEKEND, { ...DAIRY_WEEKEND, id: 'rul_dairy_2' }] })).toEqual([])
  })
})
