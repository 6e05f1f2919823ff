/**
 * Loyalty card numbers are 8 to 19 digits whose last digit is a Luhn (mod 10) check digit,
 * as on most printed loyalty cards: a mistyped digit at a manual entry is caught at the till.
 */
export const CARD_NUMBER_PATTERN = /^\d{8,19}$/

/** True when the digit string passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/** Appends the Luhn check digit to a digit string (used by importers and test factories). */
export function withLuhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d
  throw new Error('unreachable: one check digit always fits')
}

/** Masks all but the last four digits, for answers and logs. */
export function maskCardNumber(cardNumber: string): string {
  return `${'*'.repeat(Math.max(0, cardNumber.length - 4))}${cardNumber.slice(-4)}`
}

/**
 * True when free text holds something that looks like a payment card number (13 to 19
 * digits, optionally split by spaces or dashes, Luhn-valid). Such text is refused so that no
 * payment card number is ever stored (ARCHITECTURE.md, security model).
 */
export function containsPaymentCardNumber(text: string): boolean {
  for (const match of text.matchAll(/\d+(?:[ -]\d+)*/g)) {
    // Candidates are runs of whole digit groups ("4111 1111 1111 1111" or "4111111111111111"),
    // so a card number written beside another figure ("Aisle 3 4111 …") is still found.
    const groups = match[0].split(/[ -]/)
    for (let first = 0; first < groups.length; first++) {
      let digits = ''
      for (let last = first; last < groups.length && digits.length + groups[last]!.length <= 19; last++) {
        digits += groups[last]
        if (digits.length >= 13 && luhnValid(digits)) return true
      }
    }
  }
  return false
}
