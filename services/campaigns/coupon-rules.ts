import { formatScaled, parseScaled, roundDivPow10 } from '../platform/decimal'
import { SCALE } from '../ingest/swipe.schemas'

/**
 * Whether a coupon may be redeemed on a basket, and for how much (docs/campaigns.md
 * "Redemption at the till"). Pure: the caller reads the coupon (locked, at the till) and the
 * card's member. Money in integer cents (bigint), never floats.
 */

/** Refusal reasons, in the order they are checked: the first that applies is the answer. */
export const REFUSAL_REASONS = [
  'unknown',
  'not_yours',
  'not_yet_valid',
  'expired',
  'already_used',
  'void',
  'min_basket_not_met',
  'out_of_scope',
  'budget_exhausted',
] as const
export type RefusalReason = (typeof REFUSAL_REASONS)[number]

/** A coupon as the rules need it (the coupons row; bigint and numeric columns as pg's text). */
export interface CouponTerms {
  code: string
  campaign_id: string
  /** The member the coupon belongs to now: its member, or the member it was merged into. */
  owner_id: string
  kind: 'percent' | 'amount'
  /** numeric(12, 2): percent (10.00) or an amount of money. */
  value: string
  max_discount_cents: string | null
  category: string | null
  skus: string[] | null
  min_basket_cents: string
  valid_from: Date
  valid_until: Date
  state: 'issued' | 'redeemed' | 'void'
}

/** A basket line: canonical decimals as the swipe schema gives them (quantity 3, unit_price 4 places at most). */
export interface BasketLine {
  sku: string
  category: string
  quantity: string
  unit_price: string
}

export type CouponCheck = { ok: true; discountCents: bigint } | { ok: false; reason: RefusalReason }

/** Places to drop from quantity × unit_price to reach cents. */
const TO_CENTS = SCALE.quantity + SCALE.unitPrice - SCALE.money

/** round_half_up(quantity × unit_price, 2) in cents: the line's value before any discount. */
export function lineCents(line: BasketLine): bigint {
  return roundDivPow10(parseScaled(line.quantity, SCALE.quantity)! * parseScaled(line.unit_price, SCALE.unitPrice)!, TO_CENTS)
}

/**
 * Checks a coupon against a basket, every reason but the budget (checkBudget, at the moment of
 * redemption), in REFUSAL_REASONS order. `coupon` undefined: no such code. `memberId`: the
 * member of the card presented (undefined for a card nobody holds). `at`: the swipe's
 * occurred_at (validate: the time given, else now); valid from valid_from, until before valid_until.
 */
export function checkCoupon(coupon: CouponTerms | undefined, memberId: string | undefined, at: Date, basket: BasketLine[]): CouponCheck {
  if (!coupon) return refuse('unknown')
  if (coupon.owner_id !== memberId) return refuse('not_yours')
  if (at.getTime() < coupon.valid_from.getTime()) return refuse('not_yet_valid')
  if (at.getTime() >= coupon.valid_until.getTime()) return refuse('expired')
  if (coupon.state === 'redeemed') return refuse('already_used')
  if (coupon.state === 'void') return refuse('void')
  // The whole basket before any discount: the till may already have taken this coupon off.
  const total = basket.reduce((sum, line) => sum + lineCents(line), 0n)
  if (total < BigInt(coupon.min_basket_cents)) return refuse('min_basket_not_met')
  const inScope = basket.filter((line) => inScopeOf(coupon, line))
  if (inScope.length === 0) return refuse('out_of_scope')
  const eligible = inScope.reduce((sum, line) => sum + lineCents(line), 0n)
  return { ok: true, discountCents: discountOf(coupon, eligible) }
}

/** Whether the campaign's remaining budget covers a discount (NULL budget: no cap). */
export function budgetCovers(campaign: { budget_cents: string | null; spent_cents: string }, discountCents: bigint): boolean {
  return campaign.budget_cents === null || BigInt(campaign.spent_cents) + discountCents <= BigInt(campaign.budget_cents)
}

/**
 * The discount on `eligible` cents: percent → round half up of value % × eligible, capped at
 * max_discount and at eligible; amount → the amount, at most eligible.
 */
export function discountOf(coupon: Pick<CouponTerms, 'kind' | 'value' | 'max_discount_cents'>, eligible: bigint): bigint {
  const value = parseScaled(coupon.value, 2)!
  if (coupon.kind === 'amount') return min(value, eligible)
  // value is in hundredths of a percent: eligible × value / 10^4.
  let discount = roundDivPow10(eligible * value, 4)
  if (coupon.max_discount_cents !== null) discount = min(discount, BigInt(coupon.max_discount_cents))
  return min(discount, eligible)
}

/** Basket scope (no category, no SKUs): every line; else the category's or the SKUs' lines. */
function inScopeOf(coupon: Pick<CouponTerms, 'category' | 'skus'>, line: BasketLine): boolean {
  if (coupon.category !== null) return line.category === coupon.category
  if (coupon.skus !== null) return coupon.skus.includes(line.sku)
  return true
}

/** Cents as the money text answers carry ("2.50"). */
export const money = (cents: bigint) => formatScaled(cents, SCALE.money)

/** A campaign id as answers carry it: a number, as the campaigns API names campaigns. */
export const campaignIdOf = (id: string) => Number(id)

const refuse = (reason: RefusalReason): CouponCheck => ({ ok: false, reason })
const min = (a: bigint, b: bigint) => (a < b ? a : b)
