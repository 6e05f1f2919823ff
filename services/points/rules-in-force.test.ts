import { inForce, rulesInForce } from './rules-in-force'
import { DAIRY_WEEKEND, makeRules } from './points.factories'

test('a window includes its start and excludes its end', () => {
  const window = { valid_from: '2026-11-21T00:00:00+01:00', valid_to: '2026-11-23T00:00:00+01:00' }
  expect(inForce(window, new Date('2026-11-20T22:59:59.999Z'))).toBe(false)
  expect(inForce(window, new Date('2026-11-20T23:00:00.000Z'))).toBe(true)
  expect(inForce(window, new Date('2026-11-22T22:59:59.999Z'))).toBe(true)
  expect(inForce(window, new Date('2026-11-22T23:00:00.000Z'))).toBe(false)
})

test('an open end is open: no from means since forever, no to means until further notice', () => {
  expect(inForce({}, new Date('1999-01-01T00:00:00Z'))).toBe(true)
  expect(inForce({ valid_from: '2026-01-01T00:00:00Z' }, new Date('2090-01-01T00:00:00Z'))).toBe(true)
  expect(inForce({ valid_to: '2026-01-01T00:00:00Z' }, new Date('2025-12-31T23:59:59Z'))).toBe(true)
})

test('rules are picked by currency, instant and tier', () => {
  // Arrange
  const rules = makeRules({
    base_rates: [
      { id: 'rul_eur', name: 'EUR', currency: 'EUR', points_per_unit: '1' },
      { id: 'rul_gbp', name: 'GBP', currency: 'GBP', points_per_unit: '2' },
    ],
    multipliers: [DAIRY_WEEKEND, { ...DAIRY_WEEKEND, id: 'rul_gold_dairy', tiers: ['gold'] }],
    tier_multipliers: [
      { id: 'rul_gold', name: 'Gold', tier: 'gold', multiplier: '1.5' },
      { id: 'rul_silver', name: 'Silver', tier: 'silver', multiplier: '1.2' },
    ],
    bonuses: [{ id: 'rul_b', name: 'B', points: 5, condition: { type: 'sku', sku: 'X' }, tiers: ['silver'] }],
  })
  const saturday = new Date('2026-11-21T12:00:00Z')
  // Act
  const gold = rulesInForce(rules, saturday, 'GBP', 'gold')
  const none = rulesInForce(rules, new Date('2026-11-25T12:00:00Z'), 'EUR', null)
  // Assert
  expect(gold.base?.id).toBe('rul_gbp')
  expect(gold.multipliers.map((m) => m.id)).toEqual(['rul_dairy_weekend', 'rul_gold_dairy'])
  expect(gold.tierMultiplier?.id).toBe('rul_gold')
  expect(gold.bonuses).toEqual([])
  expect(none).toEqual({ base: rules.base_rates[0], multipliers: [], tierMultiplier: undefined, bonuses: [] })
})

test('no base rate in force for a currency is reported as none', () => {
  expect(rulesInForce(makeRules(), new Date(), 'SEK', null).base).toBeUndefined()
})
