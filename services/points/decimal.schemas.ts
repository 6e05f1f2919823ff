import { z } from 'zod'
import { formatScaled, parseScaled } from '../ingest/decimal'

/** Decimal places of the figures staff configure (keep in sync with the rules' SQL columns). */
export const POINTS_SCALE = { money: 2, rate: 4 } as const

/**
 * A staff-entered decimal: a JSON string only (a float typed into an admin form is not
 * trusted), at most `scale` places, within [min, max]. The parsed value is the canonical
 * text with exactly `scale` decimals, so stored rules compare and hash the same.
 */
export function decimalString(scale: number, bounds: { min: string; max: string; minExclusive?: boolean }) {
  const min = parseScaled(bounds.min, scale)
  const max = parseScaled(bounds.max, scale)
  if (min === null || max === null) throw new Error(`bad bounds for a ${scale}-place decimal`)
  const op = bounds.minExclusive ? '>' : '>='
  return z.string().transform((text, ctx) => {
    const units = parseScaled(text, scale)
    if (units === null) {
      ctx.addIssue({ code: 'custom', message: `expected a decimal string with at most ${scale} decimal places` })
      return z.NEVER
    }
    const low = bounds.minExclusive ? units <= min : units < min
    if (low || units > max) {
      ctx.addIssue({ code: 'custom', message: `must be ${op} ${bounds.min} and <= ${bounds.max}` })
      return z.NEVER
    }
    return formatScaled(units, scale)
  })
}

/** Money as staff enter it: "1500.00", at most 2 places. */
export const moneyString = (bounds: { min: string; minExclusive?: boolean }) =>
  decimalString(POINTS_SCALE.money, { max: '100000000', ...bounds })

/** Scaled units of a decimal the schemas accepted; throws on text they would have refused. */
export function unitsOf(text: string, scale: number): bigint {
  const units = parseScaled(text, scale)
  if (units === null) throw new Error(`not a decimal with at most ${scale} places: ${JSON.stringify(text)}`)
  return units
}

/** A points figure computed in bigint, as the integer the API and ledger carry. */
export function toPoints(units: bigint): number {
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${units} points is beyond the exact integer range`)
  }
  return Number(units)
}
