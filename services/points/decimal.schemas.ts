import { parseScaled } from '../platform/decimal'
import { decimalSchema } from '../platform/decimal.schema'

/** Decimal places of the figures staff configure (keep in sync with the rules' SQL columns). */
export const POINTS_SCALE = { money: 2, rate: 4 } as const

/**
 * Money as staff enter it: "1500.00", at most 2 places, as a JSON string only (decimalSchema
 * without `numbers`: a float typed into an admin form is not trusted).
 */
export const moneyString = (bounds: { min: string; minExclusive?: boolean }) =>
  decimalSchema(POINTS_SCALE.money, { max: '100000000', ...bounds })

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
