import { parseScaled } from '../platform/decimal'
import type { Offer, Personalisation } from './campaign.schemas'

/**
 * A coupon's terms as the coupons table keeps them (migration 0006): copied from the campaign's
 * offer and the member's personal category, so a coupon reads alone at the till.
 */
export interface CouponTerms {
  kind: Offer['kind']
  /** Percent or amount, decimal text as the offer gives it ("10.00"). */
  value: string
  maxDiscountCents: bigint | null
  minBasketCents: bigint
  /** The offer's own scope: a category, SKUs, or neither (the whole basket). */
  category: string | null
  skus: readonly string[] | null
  /** Personalised offers take each member's category as their scope instead. */
  personal: boolean
  validFrom: Date
  validUntil: Date
}

const cents = (text: string) => {
  const units = parseScaled(text, 2)
  if (units === null) throw new Error(`not an amount of money: ${text}`)
  return units
}

export function couponTerms(offer: Offer, personalisation: Personalisation, validFrom: Date, validUntil: Date): CouponTerms {
  return {
    kind: offer.kind,
    value: offer.value,
    maxDiscountCents: offer.max_discount === undefined ? null : cents(offer.max_discount),
    minBasketCents: cents(offer.min_basket),
    category: offer.scope.type === 'category' ? (offer.scope.category ?? null) : null,
    skus: offer.scope.type === 'skus' ? offer.scope.skus : null,
    personal: personalisation !== 'none',
    validFrom,
    validUntil,
  }
}

/** COPY text format: a value with its backslashes, tabs and line ends escaped; null as \N. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N'
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
}

/** A Postgres array literal of SKUs (their pattern has no character that needs quoting). */
const skuArray = (skus: readonly string[]) => `{${skus.map((s) => `"${s}"`).join(',')}}`

export interface CouponRow {
  code: string
  memberId: string
  /** The member's personal category from the assignment ('' when the offer is not by category). */
  category: string
}

/**
 * One chunk's coupons as COPY text in copy-coupons.sql's column order. Node builds the text
 * only: the codes and the terms, one line per coupon, nothing computed per member.
 */
export function couponCopyText(campaignId: number, terms: CouponTerms, rows: readonly CouponRow[], issuedAt: Date): string {
  const fixedHead = `${campaignId}\t`
  const validity = `${terms.validFrom.toISOString()}\t${terms.validUntil.toISOString()}\t${issuedAt.toISOString()}\n`
  const offer = `${terms.kind}\t${terms.value}\t${terms.maxDiscountCents ?? '\\N'}\t`
  const skus = terms.skus ? copyText(skuArray(terms.skus)) : '\\N'
  const tail = `\t${skus}\t${terms.minBasketCents}\t${validity}`
  let text = ''
  for (const row of rows) {
    const category = terms.personal ? row.category || null : terms.category
    if (terms.personal && !category) throw new Error(`member ${row.memberId} has no personal category for a personalised offer`)
    text += `${row.code}\t${fixedHead}${copyText(row.memberId)}\t${offer}${copyText(category)}${tail}`
  }
  return text
}
