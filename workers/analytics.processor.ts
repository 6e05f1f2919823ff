import type { Job } from 'bullmq'
import { z } from 'zod'
import { ANALYTICS_KINDS, runAnalytics, type RunResult } from '../services/analytics/run-analytics'
import { parsePayload, type ProcessorDeps } from './processor'

/**
 * `analytics`: {} from the nightly schedule (profiles, RFM and CLV with the configured
 * settings, as of the job's creation); POST …/recompute sends the kinds and any override.
 */
export const AnalyticsPayloadSchema = z.strictObject({
  kinds: z.array(z.enum(ANALYTICS_KINDS)).min(1).default([...ANALYTICS_KINDS]),
  as_of: z.iso.datetime({ offset: true }).optional(),
  profile_window_days: z.number().int().min(1).max(3_660).optional(),
  rfm_window_days: z.number().int().min(1).max(3_660).optional(),
  clv_horizon_months: z.number().int().min(1).max(120).optional(),
  clv_monthly_discount: z.number().min(0).max(0.5).optional(),
})
export type AnalyticsPayload = z.input<typeof AnalyticsPayloadSchema>

/**
 * One run per attempt (docs/segments.md "A run"). Without `as_of` the run is as of the job's
 * creation, not the attempt's start, so a retry computes the same figures.
 */
export function analyticsProcessor(deps: ProcessorDeps) {
  return async (job: Job): Promise<RunResult> => {
    const payload = parsePayload(AnalyticsPayloadSchema, job.data)
    return runAnalytics(
      deps,
      {
        kinds: payload.kinds,
        asOf: payload.as_of ? new Date(payload.as_of) : new Date(job.timestamp),
        profileWindowDays: payload.profile_window_days ?? deps.config.PROFILE_WINDOW_DAYS,
        rfmWindowDays: payload.rfm_window_days ?? deps.config.RFM_WINDOW_DAYS,
        clv: {
          horizonMonths: payload.clv_horizon_months ?? deps.config.CLV_HORIZON_MONTHS,
          monthlyDiscount: payload.clv_monthly_discount ?? deps.config.CLV_MONTHLY_DISCOUNT,
          gammaGammaFitMembers: deps.config.CLV_GG_FIT_MEMBERS,
        },
        jobId: `${job.queueName}.${job.id}`,
      },
      { profileKeepRuns: deps.config.PROFILE_KEEP_RUNS, rfmKeepDays: deps.config.RFM_KEEP_DAYS },
      (progress) => job.updateProgress({ ...progress }),
    )
  }
}
