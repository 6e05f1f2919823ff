import type { Job } from 'bullmq'
import { z } from 'zod'
import { expirePoints, type ExpireProgress } from '../services/points/expire-points'
import { parsePayload, type ProcessorDeps } from './processor'

/** `expire-points`: {} from the daily schedule; `as_of` to run as of another instant. */
export const ExpirePointsPayloadSchema = z.strictObject({
  as_of: z.iso.datetime({ offset: true }).optional(),
})
export type ExpirePointsPayload = z.infer<typeof ExpirePointsPayloadSchema>

/** Expires every lot due by the job's instant, reporting progress after each batch. */
export function expirePointsProcessor(deps: ProcessorDeps) {
  return async (job: Job): Promise<ExpireProgress> => {
    const payload = parsePayload(ExpirePointsPayloadSchema, job.data)
    return expirePoints({
      pg: deps.pg,
      now: payload.as_of ? new Date(payload.as_of) : deps.clock(),
      batchSize: deps.expireBatchSize,
      expiryMonths: deps.expiryMonths,
      onProgress: (progress) => job.updateProgress({ ...progress }),
    })
  }
}
