/**
 * Exact decimal arithmetic on scaled integers (bigint). Amounts, prices and quantities are
 * parsed from their decimal text into integer units of 10^-scale and never touch a float.
 */

/** `text` as an integer count of 10^-scale units, or null when it is not a plain decimal
 * with at most `scale` decimal places. */
export function parseScaled(text: string, scale: number): bigint | null {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (!match) return null
  const [, sign, whole, fraction = ''] = match
  if (fraction.length > scale) return null
  const units = BigInt(whole! + fraction.padEnd(scale, '0'))
  return sign === '-' ? -units : units
}

/** Formats scaled units as fixed-point text with exactly `scale` decimals ("12.30"). */
export function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
  return negative ? `-${text}` : text
}

/** Divides by 10^places rounding half away from zero (commercial rounding). */
export function roundDivPow10(units: bigint, places: number): bigint {
  if (places === 0) return units
  const divisor = 10n ** BigInt(places)
  const half = divisor / 2n
  return units >= 0n ? (units + half) / divisor : -((-units + half) / divisor)
}
