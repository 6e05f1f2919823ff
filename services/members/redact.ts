/**
 * Redaction of personal data inside stored JSON (audit records), for erasure. Pure.
 * Needles are replaced wherever they occur in a string, in any case (a card number by the
 * pseudonym, an e-mail or name by ERASED); in records about the erased member, fields named
 * like personal data are blanked whatever they hold.
 */
export const ERASED = '[erased]'

/** Fields whose value is personal data in any record about a member. */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set(['name', 'email', 'phone', 'birthday', 'secret_hash', 'password', 'pin', 'address'])

export interface Needle {
  text: string
  replacement: string
}

/** Needles shorter than this are not searched for: "Al" would blank half the log's words. */
const MIN_NEEDLE = 3

/** The needles for one erasure: card numbers become the pseudonym; e-mail, phone and name go. */
export function erasureNeedles(cards: readonly string[], pseudonym: string, personal: readonly (string | null)[]): Needle[] {
  const needles = [
    ...cards.map((text) => ({ text, replacement: pseudonym })),
    ...personal.filter((t): t is string => !!t).map((text) => ({ text: text.trim(), replacement: ERASED })),
  ]
  // Longest first, so an e-mail is replaced whole before a name inside it.
  return needles.filter((n) => n.text.length >= MIN_NEEDLE).sort((a, b) => b.text.length - a.text.length)
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** `value` with every needle replaced and, when `blankFields`, personal fields set to ERASED. */
export function redact(value: unknown, needles: readonly Needle[], blankFields: boolean): unknown {
  if (typeof value === 'string') {
    return needles.reduce((text, n) => text.replace(new RegExp(escapeRegExp(n.text), 'gi'), () => n.replacement), value)
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, needles, blankFields))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, blankFields && PERSONAL_FIELDS.has(key) && v !== null ? ERASED : redact(v, needles, blankFields)]),
    )
  }
  return value
}
