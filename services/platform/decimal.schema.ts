import { z } from 'zod'
import { formatScaled, parseScaled } from './decimal'

export interface DecimalBounds {
  min: string
  max: string
  /** `min` itself is refused (quantities must be > 0). */
  minExclusive?: boolean
  /**
   * Also accept a JSON number, read by its shortest decimal text (exact for the up to 15
   * significant digits a till sends). Staff configuration takes strings only.
   */
  numbers?: boolean
}

/**
 * An exact decimal field: at most `scale` places, within the bounds. The parsed value is the
 * canonical text with exactly `scale` decimals ("12.30"), so equal values compare and hash the same.
 * The one decimal field of the platform (swipes, earning rules, tiers).
 */
export function decimalSchema(scale: number, bounds: DecimalBounds) {
  const min = parseScaled(bounds.min, scale)
  const max = parseScaled(bounds.max, scale)
  if (min === null || max === null) throw new Error(`bad bounds for a ${scale}-place decimal`)
  const kind = bounds.numbers ? 'decimal' : 'decimal string'
  const input = bounds.numbers
    ? z.union([z.string(), z.number()], { error: 'expected a decimal number or string' })
    : z.string({ error: 'expected a decimal string' })
  return input
    .transform((value, ctx) => {
      const units = parseScaled(String(value), scale)
      if (units === null) {
        ctx.addIssue({ code: 'custom', message: `expected a ${kind} with at most ${scale} decimal places` })
        return z.NEVER
      }
      const low = bounds.minExclusive ? units <= min : units < min
      if (low || units > max) {
        ctx.addIssue({ code: 'custom', message: `must be ${bounds.minExclusive ? '>' : '>='} ${bounds.min} and <= ${bounds.max}` })
        return z.NEVER
      }
      return formatScaled(units, scale)
    })
    .describe(`exact decimal, at most ${scale} decimal places${bounds.numbers ? ', as a string ("12.30") or a number' : ', as a string'}`)
}
