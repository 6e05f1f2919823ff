import type { Job } from 'bullmq'
import { z } from 'zod'
import { reviewTiers, type ReviewProgress } from '../services/points/review-tiers'
import { parsePayload, type ProcessorDeps } from './processor'

/** `review-tiers`: {} from the schedule; `as_of` to review as of another instant. */
export const ReviewTiersPayloadSchema = z.strictObject({
  as_of: z.iso.datetime({ offset: true }).optional(),
})
export type ReviewTiersPayload = z.infer<typeof ReviewTiersPayloadSchema>

/** Places every account on the tier its 12-month spend supports and sets the floors. */
export function reviewTiersProcessor(deps: ProcessorDeps) {
  return async (job: Job): Promise<ReviewProgress> => {
    const payload = parsePayload(ReviewTiersPayloadSchema, job.data)
    return reviewTiers({
      pg: deps.pg,
      now: payload.as_of ? new Date(payload.as_of) : deps.clock(),
      onProgress: (progress) => job.updateProgress({ ...progress }),
    })
  }
}
