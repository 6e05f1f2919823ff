import { makeSwipe, type LineInput } from '../../test/helpers/factories'
import { checkSwipe, type NormalizedSwipe } from '../ingest/swipe-rules'
import { EarningRulesSchema, type EarningRules } from './earning-rules.schemas'

/** A sale as ingest would hand it over: validated and normalized by the real checkSwipe. */
export function makeSale(lines: LineInput[], overrides: Record<string, unknown> = {}): NormalizedSwipe {
  const result = checkSwipe(makeSwipe({ lines, ...overrides }), { now: new Date('2100-01-01T00:00:00Z'), skewSeconds: 0 })
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.problems)}`)
  return result.swipe
}

/** Earning rules through the real schema: 1 point per EUR, nothing else unless overridden. */
export function makeRules(overrides: Record<string, unknown> = {}): EarningRules {
  return EarningRulesSchema.parse({
    base_rates: [{ id: 'rul_base_eur', name: 'Base points', currency: 'EUR', points_per_unit: '1' }],
    ...overrides,
  })
}

/** "Double points on dairy this weekend": Sat 21 to Mon 23 Nov 2026, Paris time. */
export const DAIRY_WEEKEND = {
  id: 'rul_dairy_weekend',
  name: 'Double points on dairy this weekend',
  scope: { type: 'category', category: 'Dairy' },
  multiplier: '2',
  valid_from: '2026-11-21T00:00:00+01:00',
  valid_to: '2026-11-23T00:00:00+01:00',
}

export const SATURDAY = '2026-11-21T11:00:00+01:00'
