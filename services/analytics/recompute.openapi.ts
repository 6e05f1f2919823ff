import type { z } from 'zod'
import { body, inputSchema, invalid, json, staffOperation } from '../platform/http/parts.openapi'
import { ClvRecomputeRequestSchema, RecomputeRequestSchema } from './recompute.schemas'

const accepted = {
  description: 'Queued: `{job_id, status_url}`; Location is the status URL (GET /v1/jobs/{id})',
  headers: { Location: { description: 'GET it for the state and progress', schema: { type: 'string' } } },
  content: json({ type: 'object', required: ['job_id', 'status_url'], properties: { job_id: { type: 'string' }, status_url: { type: 'string' } } }),
}

const recompute = (what: string, schema = RecomputeRequestSchema as z.ZodType) =>
  staffOperation(['marketer', 'analyst'], {
    summary: `Recompute ${what} now`,
    description: `Adds an analytics run of ${what} to the queue (docs/segments.md "A run"); the nightly schedule runs them anyway.`,
    requestBody: { ...body(inputSchema(schema)), required: false },
    responses: { '202': accepted, '400': invalid },
  })

/** On-demand analytics runs (keep in sync with recompute.router.ts). */
export function recomputeOpenApi() {
  return {
    schemas: {},
    paths: {
      '/v1/segments/rfm/recompute': { post: recompute('the RFM scores and segments') },
      '/v1/profiles/recompute': { post: recompute("every member's purchase-behaviour profile") },
      '/v1/clv/recompute': { post: recompute('the CLV models (BG/NBD, Gamma-Gamma) and every member\'s value', ClvRecomputeRequestSchema) },
    },
  }
}
