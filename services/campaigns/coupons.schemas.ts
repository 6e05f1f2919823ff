import { z } from 'zod'
import { CardNumberSchema, MAX_LINES_PER_SWIPE, SwipeLineSchema } from '../ingest/swipe.schemas'
import { REFUSAL_REASONS } from './coupon-rules'

/** POST /v1/coupons/:code/validate: the card presented and the basket, as a swipe would carry them. */
export const ValidateCouponSchema = z.strictObject({
  card_number: CardNumberSchema,
  lines: z.array(SwipeLineSchema).min(1).max(MAX_LINES_PER_SWIPE),
  /** When the sale happens (validity is checked then); absent: now. */
  occurred_at: z.iso.datetime({ offset: true, error: 'expected ISO 8601 date-time with offset' }).optional(),
})
export type ValidateCoupon = z.infer<typeof ValidateCouponSchema>

/** The answer: the discount the coupon would give now, or why it would be refused. */
export const ValidateAnswerSchema = z.union([
  z.strictObject({ code: z.string(), valid: z.literal(true), discount: z.string(), campaign_id: z.number().int() }),
  z.strictObject({ valid: z.literal(false), reason: z.enum(REFUSAL_REASONS) }),
])
export type ValidateAnswer = z.infer<typeof ValidateAnswerSchema>

/** One coupon code's outcome in a swipe's answer (redeem-coupons.ts CouponOutcome). */
export const CouponOutcomeSchema = z.union([
  z.strictObject({ code: z.string(), status: z.literal('applied'), discount: z.string(), campaign_id: z.number().int() }),
  z.strictObject({ code: z.string(), status: z.literal('refused'), reason: z.enum(REFUSAL_REASONS) }),
])
