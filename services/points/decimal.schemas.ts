import { parseScaled } from '../platform/decimal'
import { decimalSchema } from '../platform/decimal.schema'

/** Decimal places of the figures staff configure (keep in sync with the rules' SQL columns). */
export const POINTS_SCALE = { money: 2, rate: 4 } as const

/** A staff-entered decimal: a JSON string only (a float typed into an admin form is not trusted). */
export function decimalString(scale: number, bounds: { min: string; max: string; minExclusive?: boolean }) {
  return decimalSchema(scale, bounds)
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
