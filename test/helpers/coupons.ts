import { newCouponCodes } from '../../services/campaigns/coupon-codes'
import type { Postgres } from '../../services/platform/postgres'

/**
 * Campaigns and coupons straight into Postgres, for redemption tests: a launched campaign row
 * and coupons with the terms given, without running a launch.
 */

export interface TestCampaign {
  id: number
  /** A coupon of this campaign for `memberId`; terms default to the campaign's (10 % off the basket). */
  coupon(memberId: string, overrides?: Partial<CouponOverrides>): Promise<string>
}

export interface CouponOverrides {
  kind: 'percent' | 'amount'
  value: string
  max_discount_cents: number | null
  category: string | null
  skus: string[] | null
  min_basket_cents: number
  valid_from: string
  valid_until: string
  state: 'issued' | 'redeemed' | 'void'
}

/** Coupons are valid from 30 days ago until 30 days on, unless told otherwise. */
const DAY = 86_400_000
const VALID_FROM = new Date(Date.now() - 30 * DAY).toISOString()
const VALID_UNTIL = new Date(Date.now() + 30 * DAY).toISOString()

/** A launched campaign; `budget_cents` null (default) is no cap. */
export async function makeCampaign(pg: Postgres, overrides: { budget_cents?: number | null; spent_cents?: number } = {}): Promise<TestCampaign> {
  const [row] = await pg.query<{ id: string }>(
    `INSERT INTO campaigns (name, state, audience, offer, personalisation, budget_cents, spent_cents, holdout_share,
                            frequency_cap, valid_from, valid_until, created_by, launched_at)
     VALUES ('Test campaign', 'launched', '{}', $1, 'none', $2, $3, 0.1, 3, $4, $5, 'usr_test', now())
     RETURNING id`,
    [
      JSON.stringify({ kind: 'percent', value: '10.00', scope: { type: 'basket' }, min_basket: '0.00' }),
      overrides.budget_cents ?? null,
      overrides.spent_cents ?? 0,
      VALID_FROM,
      VALID_UNTIL,
    ],
  )
  const id = Number(row!.id)
  return {
    id,
    async coupon(memberId, o = {}) {
      const [code] = newCouponCodes(1)
      const state = o.state ?? 'issued'
      await pg.query(
        `INSERT INTO coupons (code, campaign_id, member_id, kind, value, max_discount_cents, category, skus, min_basket_cents,
                              valid_from, valid_until, state, redeemed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $12 = 'redeemed' THEN now() END)`,
        [
          code,
          id,
          memberId,
          o.kind ?? 'percent',
          o.value ?? '10.00',
          o.max_discount_cents ?? null,
          o.category ?? null,
          o.skus ?? null,
          o.min_basket_cents ?? 0,
          o.valid_from ?? VALID_FROM,
          o.valid_until ?? VALID_UNTIL,
          state,
        ],
      )
      return code!
    },
  }
}

/** A coupon's row as redemption left it. */
export async function couponRow(pg: Postgres, code: string) {
  const [row] = await pg.query<{ state: string; redeemed_store_id: string | null; redeemed_txn_id: string | null; discount_cents: string | null; redeemed_at: Date | null }>(
    'SELECT state, redeemed_store_id, redeemed_txn_id, discount_cents, redeemed_at FROM coupons WHERE code = $1',
    [code],
  )
  return row!
}

/** The campaign's spent budget, in cents. */
export async function spentCents(pg: Postgres, campaignId: number): Promise<number> {
  const [row] = await pg.query<{ spent_cents: string }>('SELECT spent_cents FROM campaigns WHERE id = $1', [campaignId])
  return Number(row!.spent_cents)
}
