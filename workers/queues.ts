/**
 * The queues as any process sees them: add a job, look one up, list a queue's jobs by state.
 * The API opens these without running workers (POST …/recompute, GET /v1/jobs/:id); the
 * process that runs the work also starts workers on them (registry.ts startJobs).
 *
 * A job's public id is `<queue>.<BullMQ id>`: BullMQ ids are unique per queue only, and the
 * queue in the id lets GET /v1/jobs/:id find it without asking every queue.
 */
import { Queue, type ConnectionOptions, type Job, type JobState } from 'bullmq'
import { JOB_NAMES, JOBS, type JobName, type JobPayload } from './registry'

/**
 * Retries with exponential backoff (30 s, 1 min, 2 min, …); failed jobs are kept 90 days:
 * the failed set is the dead-letter view (list(name, 'failed')).
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { age: 7 * 86_400, count: 1_000 },
  removeOnFail: { age: 90 * 86_400 },
} as const

export const LISTED_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const
export type ListedState = (typeof LISTED_STATES)[number]

/** What GET /v1/jobs/:id answers: the job's state, progress and outcome; payloads hold ids only. */
export interface JobView {
  id: string
  queue: JobName
  state: JobState | 'unknown'
  progress: unknown
  data: unknown
  result: unknown
  failed_reason: string | null
  attempts_made: number
  created_at: string
  started_at: string | null
  finished_at: string | null
}

export interface JobQueues {
  queues: { [N in JobName]: Queue }
  /**
   * Adds a run now (payload checked first); answers the job's public id. With a `jobId`
   * (not all digits, no ':'), adding it again while BullMQ still holds it adds nothing.
   */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options?: { jobId?: string }): Promise<string>
  /** A job by public id; undefined when there is none (or it was removed by retention). */
  get(publicId: string): Promise<JobView | undefined>
  /** A queue's jobs in one state, newest first. */
  list(name: JobName, state: ListedState, limit?: number): Promise<JobView[]>
  close(): Promise<void>
}

export function openQueues(options: { connection: ConnectionOptions; prefix: string }): JobQueues {
  const queues = Object.fromEntries(
    JOB_NAMES.map((name) => [name, new Queue(name, { connection: options.connection, prefix: options.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS })]),
  ) as JobQueues['queues']
  return {
    queues,
    async enqueue(name, payload, options = {}) {
      const data = JOBS[name].payload.parse(payload)
      const job = await queues[name].add(name, data, options.jobId ? { jobId: options.jobId } : undefined)
      return publicId(name, job.id!)
    },
    async get(id) {
      const dot = id.indexOf('.')
      const name = id.slice(0, dot) as JobName
      if (dot < 1 || !JOB_NAMES.includes(name)) return undefined
      const bullId = id.slice(dot + 1)
      // State first, then the job: a job that finishes between the two reads is then shown
      // as still running with its result, never as completed without one (its result and its
      // move to "completed" are written together).
      const state = await queues[name].getJobState(bullId)
      const job = await queues[name].getJob(bullId)
      return job ? view(name, job, state) : undefined
    },
    async list(name, state, limit = 50) {
      const jobs = await queues[name].getJobs([state], 0, limit - 1, false)
      return jobs.filter(Boolean).map((job) => view(name, job, state))
    },
    async close() {
      await Promise.all(Object.values(queues).map((queue) => queue.close()))
    },
  }
}

export const publicId = (name: JobName, bullId: string) => `${name}.${bullId}`

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null)

function view(name: JobName, job: Job, state: JobState | 'unknown'): JobView {
  return {
    id: publicId(name, job.id!),
    queue: name,
    state,
    progress: job.progress,
    data: job.data,
    result: job.returnvalue ?? null,
    failed_reason: job.failedReason || null,
    attempts_made: job.attemptsMade,
    created_at: new Date(job.timestamp).toISOString(),
    started_at: iso(job.processedOn),
    finished_at: iso(job.finishedOn),
  }
}
