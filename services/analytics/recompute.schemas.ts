import { z } from 'zod'

/** POST /v1/segments/rfm/recompute and /v1/profiles/recompute; an empty body runs the defaults. */
export const RecomputeRequestSchema = z.strictObject({
  as_of: z.iso.datetime({ offset: true }).optional().describe('the instant the figures are as of (default: now); not in the future'),
  window_days: z.number().int().min(1).max(3_660).optional().describe('days of swipes to look back over (default RFM_WINDOW_DAYS or PROFILE_WINDOW_DAYS)'),
})
export type RecomputeRequest = z.infer<typeof RecomputeRequestSchema>

/** POST /v1/clv/recompute; an empty body runs the configured horizon and discount. */
export const ClvRecomputeRequestSchema = z.strictObject({
  as_of: RecomputeRequestSchema.shape.as_of,
  horizon_months: z.number().int().min(1).max(120).optional().describe('months of value ahead (default CLV_HORIZON_MONTHS)'),
  monthly_discount: z.number().min(0).max(0.5).optional().describe('discount rate per month, e.g. 0.01 (default CLV_MONTHLY_DISCOUNT)'),
})
