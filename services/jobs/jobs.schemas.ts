import { z } from 'zod'
import { LISTED_STATES } from '../../workers/queues'
import { JOB_NAMES } from '../../workers/registry'

/** A job's public id: `<queue>.<BullMQ id>` (workers/queues.ts); scheduled runs' ids hold ':'. */
export const JobIdSchema = z.string().regex(/^[a-z-]{1,40}\.[A-Za-z0-9:_-]{1,200}$/, 'must be a job id as POST …/recompute answered it (queue.id)')

/** GET /v1/jobs: one queue's jobs in one state; `failed` is the dead-letter view. */
export const JobListQuerySchema = z.strictObject({
  queue: z.enum(JOB_NAMES as [string, ...string[]]),
  state: z.enum(LISTED_STATES).default('failed'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
