/**
 * The one list of background jobs (Langfuse's queues.ts pattern): each queue's name, payload
 * schema, processor, concurrency and repeatable schedule. queues.ts opens them (retries, job
 * lookup); start-jobs.ts runs their workers. docs/points.md: "Adding a job".
 */
import type { Processor } from 'bullmq'
import type { z } from 'zod'
import type { Config } from '../services/platform/config'
import { AnalyticsPayloadSchema, analyticsProcessor } from './analytics.processor'
import { ExpirePointsPayloadSchema, expirePointsProcessor } from './expire-points.processor'
import { OffersPayloadSchema, offersProcessor } from './offers.processor'
import type { ProcessorConfig, ProcessorDeps } from './processor'
import { ReviewTiersPayloadSchema, reviewTiersProcessor } from './review-tiers.processor'

/** The jobs' settings (services/platform/config.ts). */
export type JobsConfig = ProcessorConfig &
  Pick<Config, 'QUEUE_PREFIX' | 'EXPIRE_POINTS_CRON' | 'REVIEW_TIERS_CRON' | 'JOBS_TIMEZONE' | 'EXPIRE_POINTS_BATCH' | 'ANALYTICS_CRON' | 'ANALYTICS_CONCURRENCY'>

/** QUEUE_PREFIX, or the default named after the database DATABASE_URL points at. */
export function queuePrefix(config: Pick<JobsConfig, 'QUEUE_PREFIX'>, databaseUrl: string): string {
  return config.QUEUE_PREFIX ?? `loyalty-${decodeURIComponent(new URL(databaseUrl).pathname.slice(1)).replace(/[^A-Za-z0-9_-]/g, '_')}`
}

interface JobDefinition {
  payload: z.ZodType
  processor: (deps: ProcessorDeps) => Processor
  /** Jobs of this queue one process runs at once. */
  concurrency: (config: JobsConfig) => number
  /** The cron pattern of its schedule, or "off". */
  schedule?: (config: JobsConfig) => string
}

/**
 * Every queue. Both points jobs lock accounts in member id order, so even two at once are safe.
 * Analytics runs each write under their own run id, so they may run side by side too.
 */
export const JOBS = {
  'expire-points': {
    payload: ExpirePointsPayloadSchema,
    processor: expirePointsProcessor,
    concurrency: () => 1,
    schedule: (config) => config.EXPIRE_POINTS_CRON,
  },
  'review-tiers': {
    payload: ReviewTiersPayloadSchema,
    processor: reviewTiersProcessor,
    concurrency: () => 1,
    schedule: (config) => config.REVIEW_TIERS_CRON,
  },
  analytics: {
    payload: AnalyticsPayloadSchema,
    processor: analyticsProcessor,
    concurrency: (config) => config.ANALYTICS_CONCURRENCY,
    schedule: (config) => config.ANALYTICS_CRON,
  },
  /**
   * Campaign launches (docs/campaigns.md "Launch"), one at a time: a launch reads the offers
   * members received in the last 30 days for the frequency cap, so two launches side by side
   * could each see the other's members as uncapped and together exceed it. Not scheduled;
   * retried with backoff like every queue (queues.ts DEFAULT_JOB_OPTIONS), each retry resuming.
   */
  offers: {
    payload: OffersPayloadSchema,
    processor: offersProcessor,
    concurrency: () => 1,
  },
} satisfies Record<string, JobDefinition>
export type JobName = keyof typeof JOBS
export type JobPayload<N extends JobName> = z.input<(typeof JOBS)[N]['payload']>
export const JOB_NAMES = Object.keys(JOBS) as JobName[]
