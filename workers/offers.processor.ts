import type { Job } from 'bullmq'
import { z } from 'zod'
import { assignAudience } from '../services/campaigns/assign'
import { launchCampaign, type LaunchResult } from '../services/campaigns/launch'
import { parsePayload, type ProcessorDeps } from './processor'

/** `offers`: POST /v1/campaigns/:id/launch sends the campaign; ids only (STYLE.md §10). */
export const OffersPayloadSchema = z.strictObject({
  campaign_id: z.number().int().positive(),
})
export type OffersPayload = z.input<typeof OffersPayloadSchema>

/**
 * One launch per job (docs/campaigns.md "Launch"). Every stage resumes where the last attempt
 * stopped, so BullMQ's retries and a new launch job after a failed one are both safe.
 */
export function offersProcessor(deps: ProcessorDeps) {
  return async (job: Job): Promise<LaunchResult> => {
    const payload = parsePayload(OffersPayloadSchema, job.data)
    return launchCampaign(
      { pg: deps.pg, ch: deps.ch, logger: deps.logger, clock: deps.clock, assign: assignAudience, chunkSize: deps.config.COUPON_ISSUE_CHUNK },
      payload.campaign_id,
      (progress) => job.updateProgress({ ...progress }),
    )
  }
}
