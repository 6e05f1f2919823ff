import { z } from 'zod'
import { containsPaymentCardNumber } from '../ingest/card-number'
import { CardNumberSchema } from '../ingest/swipe.schemas'

/** The most points one redemption or adjustment may move (a typo guard, far above any basket). */
export const MAX_POINTS_PER_OPERATION = 10_000_000

const instant = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 instant with offset' })

/** POST /v1/redemptions: points as tender, posted by the till before it closes the sale. */
export const RedeemRequestSchema = z.strictObject({
  /** The till's idempotency key: a retry with the same key gets the first answer. */
  request_id: z
    .string()
    .regex(/^[A-Za-z0-9._:\/-]{1,64}$/, 'letters, digits and . _ : / - only, up to 64'),
  card_number: CardNumberSchema,
  points: z.number().int('expected a whole number of points').min(1).max(MAX_POINTS_PER_OPERATION),
  /** When the till took the tender; defaults to when the platform received it. */
  occurred_at: instant.optional(),
})
export type RedeemRequest = z.infer<typeof RedeemRequestSchema>

/** POST /v1/members/:id/points/adjustments: a staff correction or goodwill gesture. */
export const AdjustmentRequestSchema = z.strictObject({
  points: z
    .number()
    .int('expected a whole number of points')
    .min(-MAX_POINTS_PER_OPERATION)
    .max(MAX_POINTS_PER_OPERATION)
    .refine((points) => points !== 0, 'must not be 0'),
  reason: z
    .string()
    .trim()
    .min(3)
    .max(500)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')
    .refine((text) => !containsPaymentCardNumber(text), 'must not contain a payment card number'),
})
export type AdjustmentRequest = z.infer<typeof AdjustmentRequestSchema>

/** Keyset paging over ids that are integers (ledger entries, versions). */
export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,18}$/, 'expected an id from next_before')
    .optional(),
})

export const ExpiringQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(3660).default(90),
})

export const LiabilityQuerySchema = z.strictObject({
  /** Past months of breakage to list, the current one included. */
  months: z.coerce.number().int().min(1).max(120).default(12),
})

/** `mem_…` as the members table makes them; anything else is certainly unknown. */
export { MemberIdSchema } from '../members/members.schemas'
/** `red_…` as redeem-points.ts makes them. */
export const RedemptionIdSchema = z.string().regex(/^red_[A-Za-z0-9]{1,64}$/)
