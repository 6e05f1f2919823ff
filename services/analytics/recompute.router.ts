import express, { Router, type Response } from 'express'
import type { RouterDeps } from '../app'
import { requireStaff } from '../platform/auth/auth.middleware'
import { AppError } from '../platform/http/errors'
import { parseBody } from '../platform/http/validate'
import type { AnalyticsKind } from './run-analytics'
import type { AnalyticsPayload } from '../../workers/analytics.processor'
import { ClvRecomputeRequestSchema, RecomputeRequestSchema } from './recompute.schemas'

/**
 * On-demand analytics runs (the nightly schedule runs every kind): each answers 202 with the
 * job's id at once; GET /v1/jobs/:id shows its stage and, when done, the run id to read.
 */
export function recomputeRouter(deps: Pick<RouterDeps, 'jobs' | 'tokens' | 'pg' | 'clock'>): Router {
  const router = Router()
  const analysts = requireStaff(deps, 'marketer', 'analyst')
  const json = express.json({ limit: '16kb' })

  /** Queues one kind's run with the request's settings; answers where to follow it. */
  const enqueue = async (res: Response, kind: AnalyticsKind, asOf: string | undefined, settings: Omit<AnalyticsPayload, 'kinds' | 'as_of'>) => {
    if (asOf && Date.parse(asOf) > deps.clock().getTime()) {
      throw AppError.badRequest('as_of is in the future', [{ path: '$.as_of', message: 'must not be later than now' }])
    }
    const id = await deps.jobs.enqueue('analytics', { kinds: [kind], as_of: asOf, ...settings })
    res.status(202).location(`/v1/jobs/${id}`).json({ job_id: id, status_url: `/v1/jobs/${id}` })
  }

  router.post('/v1/segments/rfm/recompute', analysts, json, async (req, res) => {
    const request = parseBody(RecomputeRequestSchema, req.body ?? {})
    await enqueue(res, 'rfm', request.as_of, { rfm_window_days: request.window_days })
  })
  router.post('/v1/profiles/recompute', analysts, json, async (req, res) => {
    const request = parseBody(RecomputeRequestSchema, req.body ?? {})
    await enqueue(res, 'profiles', request.as_of, { profile_window_days: request.window_days })
  })
  router.post('/v1/clv/recompute', analysts, json, async (req, res) => {
    const request = parseBody(ClvRecomputeRequestSchema, req.body ?? {})
    await enqueue(res, 'clv', request.as_of, { clv_horizon_months: request.horizon_months, clv_monthly_discount: request.monthly_discount })
  })
  return router
}
