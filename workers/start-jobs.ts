/**
 * Starts the work of the registry's jobs in this process: the queues (queues.ts), a worker per
 * queue with its concurrency, and the repeatable schedules. docs/points.md: "Adding a job".
 */
import { Worker, type ConnectionOptions, type Job, type Queue } from 'bullmq'
import type { ClickHouse } from '../services/platform/clickhouse'
import type { Logger } from '../services/platform/logger'
import type { Postgres } from '../services/platform/postgres'
import type { ProcessorDeps } from './processor'
import { openQueues, type JobQueues } from './queues'
import { JOB_NAMES, JOBS, type JobName, type JobsConfig } from './registry'

export interface StartJobsDeps {
  /** e.g. { url: REDIS_URL, maxRetriesPerRequest: null }; each queue and worker connects itself. */
  connection: ConnectionOptions
  pg: Postgres
  ch: ClickHouse
  logger: Logger
  config: JobsConfig & { QUEUE_PREFIX: string; POINTS_EXPIRY_MONTHS: number }
  clock?: () => Date
  /** false: workers only, schedules left as they are (tests). */
  schedules?: boolean
}

/** The queues, with workers running every job of this process. */
export type Jobs = JobQueues

/** Opens the queues, starts a worker for every queue and upserts the schedules. */
export async function startJobs(deps: StartJobsDeps): Promise<Jobs> {
  const prefix = deps.config.QUEUE_PREFIX
  const processorDeps: ProcessorDeps = {
    pg: deps.pg,
    ch: deps.ch,
    logger: deps.logger,
    clock: deps.clock ?? (() => new Date()),
    config: deps.config,
    expiryMonths: deps.config.POINTS_EXPIRY_MONTHS,
    expireBatchSize: deps.config.EXPIRE_POINTS_BATCH,
  }
  const queues = openQueues({ connection: deps.connection, prefix })
  const workers = JOB_NAMES.map((name) => {
    const worker = new Worker(name, JOBS[name].processor(processorDeps), {
      connection: deps.connection,
      prefix,
      concurrency: JOBS[name].concurrency(deps.config),
    })
    const log = deps.logger.child({ queue: name })
    worker.on('completed', (job: Job, result: unknown) => log.info({ job_id: job.id, result }, 'job completed'))
    worker.on('failed', (job: Job | undefined, error: Error) => log.warn({ job_id: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'))
    worker.on('error', (error: Error) => log.error({ err: error }, 'worker error'))
    return worker
  })
  if (deps.schedules !== false) {
    // Queues without a schedule (offers: launched on request) are only worked on.
    for (const name of JOB_NAMES) {
      const definition = JOBS[name]
      if ('schedule' in definition) await schedule(queues.queues[name], name, definition.schedule(deps.config), deps.config.JOBS_TIMEZONE)
    }
  }
  return {
    ...queues,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()))
      await queues.close()
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
