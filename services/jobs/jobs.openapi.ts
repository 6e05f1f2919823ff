import { STAFF_ROLES } from '../platform/auth/auth.middleware'
import { invalid, json, notFound, pathParameter, queryParameters, staffOperation } from '../platform/http/parts.openapi'
import { JobIdSchema, JobListQuerySchema } from './jobs.schemas'

const jobView = {
  type: 'object',
  required: ['id', 'queue', 'state', 'progress', 'data', 'result', 'failed_reason', 'attempts_made', 'created_at', 'started_at', 'finished_at'],
  properties: {
    id: { type: 'string', examples: ['analytics.42'] },
    queue: { type: 'string' },
    state: { type: 'string', enum: ['waiting', 'waiting-children', 'prioritized', 'active', 'delayed', 'completed', 'failed', 'unknown'] },
    progress: { description: 'the last progress report; an analytics run: {run_id, stage, done, stages}' },
    data: { description: 'the payload (ids and settings only)' },
    result: { description: 'what the job returned once completed; an analytics run: {run_id, cards, profiles, scored, seconds}' },
    failed_reason: { type: ['string', 'null'] },
    attempts_made: { type: 'integer' },
    created_at: { type: 'string', format: 'date-time' },
    started_at: { type: ['string', 'null'], format: 'date-time' },
    finished_at: { type: ['string', 'null'], format: 'date-time' },
  },
}

/** Background jobs (keep in sync with jobs.router.ts). */
export function jobsOpenApi() {
  return {
    schemas: { JobView: jobView },
    paths: {
      '/v1/jobs': {
        get: staffOperation(STAFF_ROLES, {
          summary: "A queue's jobs in one state, newest first",
          description: 'state=failed (the default) is the dead-letter view: jobs that used up their retries, kept 90 days.',
          parameters: queryParameters(JobListQuerySchema),
          responses: {
            '200': { description: '`{queue, state, jobs: [JobView]}`', content: json({ type: 'object' }) },
            '400': invalid,
          },
        }),
      },
      '/v1/jobs/{id}': {
        get: staffOperation(STAFF_ROLES, {
          summary: "A job's state, progress and result",
          parameters: [pathParameter('id', JobIdSchema, 'The job id as POST …/recompute answered it (queue.id)')],
          responses: {
            '200': { description: 'The job', content: json({ $ref: '#/components/schemas/JobView' }) },
            '400': invalid,
            '404': notFound('job (finished jobs are kept 7 days, failed ones 90)'),
          },
        }),
      },
    },
  }
}
