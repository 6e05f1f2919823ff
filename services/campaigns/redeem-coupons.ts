import type { NormalizedSwipe } from '../ingest/swipe-rules'
import type { Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import type { LockedCards } from '../points/swipe-points'
import { canonicalCouponCode } from './coupon-codes'
import { campaignIdOf, checkCoupon, money, type CouponTerms, type RefusalReason } from './coupon-rules'

/**
 * What the till is told about each code a sale carried, in the order sent; stored with the
 * swipe's answer, so a retry gets it again and redeems nothing twice. `code` is the canonical
 * code (as sent when it cannot be a coupon code).
 */
export type CouponOutcome =
  | { code: string; status: 'applied'; discount: string; campaign_id: number }
  | { code: string; status: 'refused'; reason: RefusalReason }

/** A sale of the write group, not yet in the journal. */
interface Sale {
  storeId: string
  swipe: NormalizedSwipe
}

interface Claim {
  sale: number
  slot: number
  coupon: CouponTerms
  discountCents: bigint
}

/**
 * Redeems the coupons new sales carry, inside the swipes' transaction, after their members'
 * accounts are locked (lockSaleAccounts) and before the journal append (docs/campaigns.md
 * "Redemption at the till"). Locks the coupons in code order, checks each (coupon-rules.ts),
 * takes each discount from its campaign's budget with one conditional update, in campaign
 * order, and marks the redeemed coupons. Returns each sale's outcomes by index (undefined for a
 * sale without codes). A group without codes runs no statement at all.
 */
export async function redeemCoupons(tx: Tx, byCard: LockedCards, sales: Sale[]): Promise<(CouponOutcome[] | undefined)[]> {
  if (!sales.some((s) => s.swipe.coupon_codes.length > 0)) return []
  const presented = sales.map((s) => s.swipe.coupon_codes.map((text) => ({ text, code: canonicalCouponCode(text) })))
  const codes = [...new Set(presented.flat().flatMap((p) => (p.code ? [p.code] : [])))].sort()
  const rows = codes.length > 0 ? await tx.query<CouponTerms>(sql('postgres/queries/campaigns/lock-coupons-for-redemption'), [codes]) : []
  const coupons = new Map(rows.map((r) => [r.code, r]))

  const claims: Claim[] = []
  const outcomes = sales.map((s, sale) => {
    if (s.swipe.coupon_codes.length === 0) return undefined
    const memberId = byCard.get(s.swipe.card_number)?.account.memberId
    const at = new Date(s.swipe.occurred_at)
    return presented[sale]!.map(({ text, code }, slot): CouponOutcome => {
      const coupon = code === null ? undefined : coupons.get(code)
      const check = checkCoupon(coupon, memberId, at, s.swipe.lines)
      if (!check.ok) return { code: code ?? text, status: 'refused', reason: check.reason }
      // Claimed here, so the same coupon again in this group is already_used; the budget decides below.
      coupon!.state = 'redeemed'
      claims.push({ sale, slot, coupon: coupon!, discountCents: check.discountCents })
      return { code: coupon!.code, status: 'refused', reason: 'budget_exhausted' }
    })
  })

  // Campaign rows are locked in campaign order, as coupons are in code order: no deadlocks.
  claims.sort((a, b) => Number(a.coupon.campaign_id) - Number(b.coupon.campaign_id) || (a.coupon.code < b.coupon.code ? -1 : 1))
  const redeemed: object[] = []
  for (const claim of claims) {
    const spent = await tx.query(sql('postgres/queries/campaigns/spend-budget'), [claim.coupon.campaign_id, claim.discountCents.toString()])
    if (spent.length === 0) continue // stays refused: budget_exhausted
    const { storeId, swipe } = sales[claim.sale]!
    outcomes[claim.sale]![claim.slot] = {
      code: claim.coupon.code,
      status: 'applied',
      discount: money(claim.discountCents),
      campaign_id: campaignIdOf(claim.coupon.campaign_id),
    }
    redeemed.push({ code: claim.coupon.code, store_id: storeId, txn_id: swipe.txn_id, discount_cents: claim.discountCents.toString(), redeemed_at: swipe.occurred_at })
  }
  if (redeemed.length > 0) await tx.query(sql('postgres/queries/campaigns/mark-coupons-redeemed'), [JSON.stringify(redeemed)])
  return outcomes
}
