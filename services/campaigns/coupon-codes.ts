import { randomBytes } from 'node:crypto'

/**
 * Coupon codes (docs/campaigns.md "Coupon codes"): 15 random characters from Crockford's
 * base-32 alphabet (75 bits from the CSPRNG, so a code cannot be guessed from others) and a
 * Luhn mod 32 check character, which catches every single mistyped character and every swap
 * of two neighbours before the database is asked. Shown in groups of four
 * (`7KQ2-M9XD-R4TB-W1HC`); stored and compared without dashes, upper case.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]))
const RANDOM_CHARS = 15
export const CODE_LENGTH = RANDOM_CHARS + 1

/** Luhn mod N over the alphabet: the character that makes the whole code check. */
function checkCharacter(body: string): string {
  let sum = 0
  let factor = 2
  for (let i = body.length - 1; i >= 0; i--) {
    const addend = factor * VALUE.get(body[i]!)!
    sum += Math.floor(addend / 32) + (addend % 32)
    factor = factor === 2 ? 1 : 2
  }
  return ALPHABET[(32 - (sum % 32)) % 32]!
}

/** `count` new codes, canonical form. Uniqueness is the coupons table's primary key. */
export function newCouponCodes(count: number): string[] {
  // 5 bits per character: take the low 5 bits of one random byte each (256 is a multiple of 32, so unbiased).
  const bytes = randomBytes(count * RANDOM_CHARS)
  const codes = new Array<string>(count)
  for (let c = 0; c < count; c++) {
    let body = ''
    for (let i = 0; i < RANDOM_CHARS; i++) body += ALPHABET[bytes[c * RANDOM_CHARS + i]! & 31]
    codes[c] = body + checkCharacter(body)
  }
  return codes
}

/**
 * A code as typed or scanned, in canonical form, or null when it cannot be a coupon code
 * (wrong length, a character outside the alphabet, or the check character does not match).
 * Dashes and spaces are ignored, case too; O reads as 0 and I, L as 1, as Crockford intends.
 */
export function canonicalCouponCode(text: string): string | null {
  const code = text.replace(/[-\s]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1')
  if (code.length !== CODE_LENGTH || ![...code].every((c) => VALUE.has(c))) return null
  return checkCharacter(code.slice(0, RANDOM_CHARS)) === code[RANDOM_CHARS] ? code : null
}

/** The code as shown to members: groups of four. */
export const displayCouponCode = (code: string) => code.match(/.{1,4}/g)!.join('-')
