import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { canonicalCouponCode } from './coupon-codes'
import { budgetCovers, campaignIdOf, checkCoupon, money, type CouponTerms } from './coupon-rules'
import type { ValidateAnswer, ValidateCoupon } from './coupons.schemas'

type Row = CouponTerms & { budget_cents: string | null; spent_cents: string; card_member_id: string | null }

/**
 * Whether a coupon would be redeemed on this basket with this card, and for how much, changing
 * nothing: the checks of a redemption, in the same order, at `occurred_at` (or now), with the
 * budget as it stands (a redemption may still find it spent by then).
 */
export async function validateCoupon(pg: Postgres, text: string, request: ValidateCoupon, now: Date): Promise<ValidateAnswer> {
  const code = canonicalCouponCode(text)
  const [row] = code === null ? [] : await pg.query<Row>(sql('postgres/queries/campaigns/validate-coupon'), [code, request.card_number])
  const at = request.occurred_at ? new Date(request.occurred_at) : now
  const check = checkCoupon(row, row?.card_member_id ?? undefined, at, request.lines)
  if (!check.ok) return { valid: false, reason: check.reason }
  if (!budgetCovers(row!, check.discountCents)) return { valid: false, reason: 'budget_exhausted' }
  return { code: row!.code, valid: true, discount: money(check.discountCents), campaign_id: campaignIdOf(row!.campaign_id) }
}
