/**
 * The one list of background jobs (Langfuse's queues.ts pattern): each queue's name, payload
 * schema, processor, concurrency and repeatable schedule, the default retries, and
 * startJobs/close for the process that runs them. docs/points.md: "Adding a job".
 */
import { Queue, Worker, type ConnectionOptions, type Job, type Processor } from 'bullmq'
import type { z } from 'zod'
import type { Config } from '../services/platform/config'
import type { Logger } from '../services/platform/logger'
import type { Postgres } from '../services/platform/postgres'
import { ExpirePointsPayloadSchema, expirePointsProcessor } from './expire-points.processor'
import type { ProcessorDeps } from './processor'
import { ReviewTiersPayloadSchema, reviewTiersProcessor } from './review-tiers.processor'

/** The jobs' settings (services/platform/config.ts). */
export type JobsConfig = Pick<Config, 'QUEUE_PREFIX' | 'EXPIRE_POINTS_CRON' | 'REVIEW_TIERS_CRON' | 'JOBS_TIMEZONE' | 'EXPIRE_POINTS_BATCH'>

/** QUEUE_PREFIX, or the default named after the database DATABASE_URL points at. */
export function queuePrefix(config: Pick<JobsConfig, 'QUEUE_PREFIX'>, databaseUrl: string): string {
  return config.QUEUE_PREFIX ?? `loyalty-${decodeURIComponent(new URL(databaseUrl).pathname.slice(1)).replace(/[^A-Za-z0-9_-]/g, '_')}`
}

interface JobDefinition {
  payload: z.ZodType
  processor: (deps: ProcessorDeps) => Processor
  /** Jobs of this queue one process runs at once. */
  concurrency: number
  /** The cron pattern of its schedule, or "off". */
  schedule?: (config: JobsConfig) => string
}

/** Every queue. Both jobs lock accounts in member id order, so even two at once are safe. */
export const JOBS = {
  'expire-points': {
    payload: ExpirePointsPayloadSchema,
    processor: expirePointsProcessor,
    concurrency: 1,
    schedule: (config) => config.EXPIRE_POINTS_CRON,
  },
  'review-tiers': {
    payload: ReviewTiersPayloadSchema,
    processor: reviewTiersProcessor,
    concurrency: 1,
    schedule: (config) => config.REVIEW_TIERS_CRON,
  },
} satisfies Record<string, JobDefinition>
export type JobName = keyof typeof JOBS
export type JobPayload<N extends JobName> = z.input<(typeof JOBS)[N]['payload']>

/**
 * Retries with exponential backoff (30 s, 1 min, 2 min, …); failed jobs are kept 90 days:
 * the failed set is the dead-letter view (Jobs.deadLetters).
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { age: 7 * 86_400, count: 1_000 },
  removeOnFail: { age: 90 * 86_400 },
} as const

export interface StartJobsDeps {
  /** e.g. { url: REDIS_URL, maxRetriesPerRequest: null }; each queue and worker connects itself. */
  connection: ConnectionOptions
  pg: Postgres
  logger: Logger
  config: JobsConfig & { QUEUE_PREFIX: string; POINTS_EXPIRY_MONTHS: number }
  clock?: () => Date
  /** false: workers only, schedules left as they are (tests). */
  schedules?: boolean
}

export interface Jobs {
  queues: { [N in JobName]: Queue }
  /** Adds a run now (payload checked first); answers the job id. */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<string>
  /** The failed jobs of a queue, newest first. */
  deadLetters(name: JobName, limit?: number): Promise<{ id: string; failedReason: string; attemptsMade: number; failedAt: string | null; data: unknown }[]>
  /** Stops taking jobs, waits for running ones, closes every connection. */
  close(): Promise<void>
}

/** Starts a worker for every queue and upserts the schedules. */
export async function startJobs(deps: StartJobsDeps): Promise<Jobs> {
  const prefix = deps.config.QUEUE_PREFIX
  const base = { connection: deps.connection, prefix }
  const processorDeps: ProcessorDeps = {
    pg: deps.pg,
    logger: deps.logger,
    clock: deps.clock ?? (() => new Date()),
    expiryMonths: deps.config.POINTS_EXPIRY_MONTHS,
    expireBatchSize: deps.config.EXPIRE_POINTS_BATCH,
  }
  const names = Object.keys(JOBS) as JobName[]
  const queues = Object.fromEntries(names.map((name) => [name, new Queue(name, { ...base, defaultJobOptions: DEFAULT_JOB_OPTIONS })])) as Jobs['queues']
  const workers = names.map((name) => {
    const worker = new Worker(name, JOBS[name].processor(processorDeps), { ...base, concurrency: JOBS[name].concurrency })
    const log = deps.logger.child({ queue: name })
    worker.on('completed', (job: Job, result: unknown) => log.info({ job_id: job.id, result }, 'job completed'))
    worker.on('failed', (job: Job | undefined, error: Error) => log.warn({ job_id: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'))
    worker.on('error', (error: Error) => log.error({ err: error }, 'worker error'))
    return worker
  })
  if (deps.schedules !== false) {
    for (const name of names) await schedule(queues[name], name, JOBS[name].schedule(deps.config), deps.config.JOBS_TIMEZONE)
  }
  return {
    queues,
    async enqueue(name, payload) {
      const data = JOBS[name].payload.parse(payload)
      const job = await queues[name].add(name, data)
      return job.id!
    },
    async deadLetters(name, limit = 50) {
      const failed = await queues[name].getFailed(0, limit - 1)
      return failed.map((job) => ({
        id: job.id!,
        failedReason: job.failedReason,
        attemptsMade: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        data: job.data,
      }))
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()))
      await Promise.all(Object.values(queues).map((queue) => queue.close()))
    },
  }
}

/** The schedule id is the queue's name: upserting again (every start) replaces it. */
async function schedule(queue: Queue, name: JobName, pattern: string, tz: string): Promise<void> {
  if (pattern === 'off') {
    await queue.removeJobScheduler(name)
    return
  }
  await queue.upsertJobScheduler(name, { pattern, tz }, { name, data: {} })
}
