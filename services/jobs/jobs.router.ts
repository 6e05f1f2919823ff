import { Router } from 'express'
import type { RouterDeps } from '../app'
import { requireStaff, STAFF_ROLES } from '../platform/auth/auth.middleware'
import { AppError } from '../platform/http/errors'
import { parseQuery } from '../platform/http/validate'
import type { JobName } from '../../workers/registry'
import { JobIdSchema, JobListQuerySchema } from './jobs.schemas'

/**
 * Background jobs as staff see them: one job's state and progress (the id POST …/recompute
 * answered), and a queue's jobs by state, `failed` being the dead-letter view. Payloads hold
 * ids and settings only, never personal data, so every staff role may read them.
 */
export function jobsRouter(deps: Pick<RouterDeps, 'jobs' | 'tokens' | 'pg'>): Router {
  const router = Router()
  const anyStaff = requireStaff(deps, ...STAFF_ROLES)

  router.get('/v1/jobs', anyStaff, async (req, res) => {
    const query = parseQuery(JobListQuerySchema, req.query)
    res.json({ queue: query.queue, state: query.state, jobs: await deps.jobs.list(query.queue as JobName, query.state, query.limit) })
  })

  router.get('/v1/jobs/:id', anyStaff, async (req, res) => {
    const parsed = JobIdSchema.safeParse(req.params.id)
    if (!parsed.success) throw AppError.badRequest('invalid job id', [{ path: '$.id', message: parsed.error.issues[0]!.message }])
    const job = await deps.jobs.get(parsed.data)
    if (!job) throw AppError.notFound(`no job ${parsed.data} (finished jobs are kept 7 days, failed ones 90)`)
    res.json(job)
  })
  return router
}
