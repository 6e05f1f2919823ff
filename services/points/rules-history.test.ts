import { makeRules } from './points.factories'
import { checkRulesHistory } from './rules-history'

const NOW = new Date('2026-12-01T12:00:00Z')
const BASE = { id: 'rul_base_eur', name: 'Base points', currency: 'EUR', points_per_unit: '1' }
const DAIRY = {
  id: 'rul_dairy',
  name: 'Double dairy',
  scope: { type: 'category', category: 'Dairy' },
  multiplier: '2',
  valid_from: '2026-11-01T00:00:00Z',
}
const FUTURE = { ...DAIRY, id: 'rul_xmas', name: 'Christmas', valid_from: '2026-12-20T00:00:00Z', valid_to: '2026-12-27T00:00:00Z' }

const check = (before: Record<string, unknown>, after: Record<string, unknown>) => checkRulesHistory(makeRules(before), makeRules(after), NOW)
const paths = (result: ReturnType<typeof check>) => result.problems.map((p) => p.path)

describe('rules that were in force before now', () => {
  test('may be ended now or later by setting valid_to', () => {
    const result = check({ multipliers: [DAIRY] }, { multipliers: [{ ...DAIRY, valid_to: '2026-12-01T12:00:00Z' }] })
    expect(result.problems).toEqual([])
  })

  test('may not be ended in the past', () => {
    const result = check({ multipliers: [DAIRY] }, { multipliers: [{ ...DAIRY, valid_to: '2026-11-30T00:00:00Z' }] })
    expect(paths(result)).toEqual(['$.multipliers[0].valid_to'])
    expect(result.problems[0]!.message).toContain('rul_dairy')
  })

  test('may not have any other field changed; each change is named by its path', () => {
    const result = check({ multipliers: [DAIRY] }, { multipliers: [{ ...DAIRY, multiplier: '3', name: 'Triple dairy' }] })
    expect(paths(result)).toEqual(['$.multipliers[0].multiplier', '$.multipliers[0].name'])
  })

  test('a rule with no valid_from has been in force forever and may not change', () => {
    const result = check({}, { base_rates: [{ ...BASE, points_per_unit: '2' }] })
    expect(paths(result)).toEqual(['$.base_rates[0].points_per_unit'])
  })

  test('may not be deleted', () => {
    const result = check({ multipliers: [DAIRY] }, { multipliers: [] })
    expect(result.problems).toEqual([{ path: '$.multipliers', message: expect.stringContaining('rul_dairy') }])
  })

  test('once ended, its window is fixed', () => {
    const ended = { ...DAIRY, valid_to: '2026-11-15T00:00:00Z' }
    expect(paths(check({ multipliers: [ended] }, { multipliers: [{ ...ended, valid_to: '2027-01-01T00:00:00Z' }] }))).toEqual([
      '$.multipliers[0].valid_to',
    ])
    expect(check({ multipliers: [ended] }, { multipliers: [ended] }).problems).toEqual([])
  })

  test('may not move to another list', () => {
    const bonus = { id: 'rul_dairy', name: 'Double dairy', points: 5, condition: { type: 'sku', sku: 'MILK' }, valid_from: DAIRY.valid_from }
    expect(paths(check({ multipliers: [DAIRY] }, { bonuses: [bonus] }))).toEqual(['$.bonuses[0]'])
  })

  test('an unchanged rule written with its decimals differently is unchanged', () => {
    expect(check({ multipliers: [DAIRY] }, { multipliers: [{ ...DAIRY, multiplier: '2.0000' }] }).problems).toEqual([])
  })
})

describe('rules not yet in force, and new rules', () => {
  test('a rule that has not started may be rewritten or deleted', () => {
    expect(check({ multipliers: [FUTURE] }, { multipliers: [{ ...FUTURE, multiplier: '5' }] }).problems).toEqual([])
    expect(check({ multipliers: [FUTURE] }, {}).problems).toEqual([])
  })

  test('a new rule may not start in the past', () => {
    const result = check({}, { multipliers: [{ ...DAIRY, id: 'rul_new' }] })
    expect(paths(result)).toEqual(['$.multipliers[0].valid_from'])
  })

  test('a new rule without valid_from starts now, written into the stored version', () => {
    const { valid_from: _omit, ...open } = DAIRY
    const result = check({}, { multipliers: [{ ...open, id: 'rul_new' }] })
    expect(result.problems).toEqual([])
    expect(result.rules.multipliers[0]!.valid_from).toBe(NOW.toISOString())
  })

  test('a new rule may not end before now', () => {
    const { valid_from: _omit, ...open } = DAIRY
    const result = check({}, { multipliers: [{ ...open, id: 'rul_new', valid_to: '2026-12-01T00:00:00Z' }] })
    expect(paths(result)).toEqual(['$.multipliers[0].valid_to'])
  })
})
