import { z } from 'zod'
import { POINTS_SCALE, moneyString, unitsOf } from './decimal.schemas'
import { TierCodeSchema } from './earning-rules.schemas'

/** One tier: reached by spending at least `min_spend` (money, 2 dp) in the last 12 months. */
export const TierSchema = z.strictObject({
  code: TierCodeSchema,
  name: z.string().trim().min(1).max(60),
  min_spend: moneyString({ min: '0' }),
})
export type Tier = z.infer<typeof TierSchema>

/**
 * The tier ladder, lowest first. The first tier starts at 0.00 so every member has one, and
 * thresholds strictly rise so a spend maps to exactly one tier.
 */
export const TiersSchema = z
  .array(TierSchema)
  .min(1)
  .max(20)
  .superRefine((tiers, ctx) => {
    if (tiers[0] && tiers[0].min_spend !== '0.00') {
      ctx.addIssue({ code: 'custom', path: [0, 'min_spend'], message: 'the first tier must start at 0.00' })
    }
    tiers.forEach((tier, i) => {
      const prev = tiers[i - 1]
      if (prev && unitsOf(tier.min_spend, POINTS_SCALE.money) <= unitsOf(prev.min_spend, POINTS_SCALE.money)) {
        ctx.addIssue({ code: 'custom', path: [i, 'min_spend'], message: `must be above ${prev.code}'s ${prev.min_spend}` })
      }
      if (tiers.findIndex((t) => t.code === tier.code) !== i) {
        ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `${tier.code} is used more than once` })
      }
    })
  })
export type Tiers = z.infer<typeof TiersSchema>
