import { displayCouponCode } from '../campaigns/coupon-codes'
import type { CouponTerms } from '../campaigns/coupon-rules'
import { formatScaled } from '../platform/decimal'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { meRepo } from './me.repo'
import type { CouponsQuery } from './me.schemas'

/** A coupon's stored terms (as the till checks them), with what the member's list adds. */
interface CouponRow extends Omit<CouponTerms, 'owner_id'> {
  campaign_name: string
  member_id: string
  issued_at: Date
  redeemed_at: Date | null
  discount_cents: string | null
  current: boolean
}

/** What a member sees of a coupon's state: an issued one is valid, upcoming or expired by now. */
export type MemberCouponState = 'valid' | 'upcoming' | 'expired' | 'redeemed' | 'void'

const money = (cents: string | null) => (cents === null ? null : formatScaled(BigInt(cents), 2))

/**
 * GET /v1/me/coupons: the member's coupons and those of members merged into them (as the
 * ledger shows theirs), current ones first. The code in display form; the offer as the coupon
 * holds it, with the member's personal category as its scope; money as decimal text.
 */
export async function memberCoupons(deps: { pg: Postgres; clock: () => Date }, memberId: string, query: CouponsQuery) {
  const now = deps.clock()
  const family = await meRepo.family(deps.pg, memberId)
  const rows = await deps.pg.query<CouponRow>(sql('postgres/queries/campaigns/member-coupons'), [family, now, query.limit + 1])
  return { items: rows.slice(0, query.limit).map((r) => coupon(r, memberId, now)), truncated: rows.length > query.limit }
}

function coupon(r: CouponRow, memberId: string, now: Date) {
  return {
    code: displayCouponCode(r.code),
    campaign: { id: Number(r.campaign_id), name: r.campaign_name },
    offer: {
      kind: r.kind,
      value: r.value,
      max_discount: money(r.max_discount_cents),
      scope: r.category !== null ? { type: 'category', category: r.category } : r.skus !== null ? { type: 'skus', skus: r.skus } : { type: 'basket' },
      min_basket: money(r.min_basket_cents),
    },
    valid_from: r.valid_from,
    valid_until: r.valid_until,
    state: stateOf(r, now),
    issued_at: r.issued_at,
    redeemed_at: r.redeemed_at,
    discount: money(r.discount_cents),
    ...(r.member_id === memberId ? {} : { merged_from: r.member_id }),
  }
}

function stateOf(r: CouponRow, now: Date): MemberCouponState {
  if (r.state !== 'issued') return r.state
  if (r.current) return 'valid'
  return r.valid_from > now ? 'upcoming' : 'expired'
}
