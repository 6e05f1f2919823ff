import { z } from 'zod'
import { CouponOutcomeSchema } from '../campaigns/coupons.schemas'
import { inputSchema } from '../platform/http/parts.openapi'
import { SwipeSchema } from './swipe.schemas'

const problem = { $ref: '#/components/schemas/Problem' }
const json = (schema: object) => ({ 'application/json': { schema } })

/** The ingest API's part of the OpenAPI document (keep in sync with swipes.router.ts). */
export function swipesOpenApi() {
  const swipe = z.toJSONSchema(SwipeSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' })
  delete (swipe as { $schema?: string }).$schema
  return {
    // SwipeAnswer (platform/http/openapi.ts) lists each coupon code's outcome as a CouponOutcome.
    schemas: { Swipe: swipe, CouponOutcome: inputSchema(CouponOutcomeSchema) },
    paths: {
      '/v1/swipes': {
        post: {
          summary: 'Record one swipe, or a batch of up to 1,000',
          description:
            'A 2xx means the swipe is committed and will reach ClickHouse. The same (store, txn_id) posted again ' +
            'returns the first answer (200, Idempotent-Replayed: true); with a different body it is a 409. In a batch ' +
            'each swipe is answered on its own: good ones are kept, bad ones listed with their problems. A sale with ' +
            '`coupon_codes` redeems them in its transaction; the sale is kept whatever they do, and its answer lists each ' +
            "code's outcome in `coupons` (applied with its discount, or refused with the reason; docs/campaigns.md).",
          security: [{ storeKey: [] }],
          requestBody: {
            required: true,
            content: json({ oneOf: [{ $ref: '#/components/schemas/Swipe' }, { type: 'array', items: { $ref: '#/components/schemas/Swipe' }, minItems: 1, maxItems: 1000 }] }),
          },
          responses: {
            '201': { description: 'Recorded', content: json({ $ref: '#/components/schemas/SwipeAnswer' }) },
            '200': { description: 'A retry of a recorded swipe (the first answer), or the per-swipe results of a batch' },
            '400': { description: 'Invalid: every problem with its JSON path', content: { 'application/problem+json': { schema: problem } } },
            '401': { description: 'Missing, unknown or revoked key', content: { 'application/problem+json': { schema: problem } } },
            '409': { description: 'The txn_id was recorded with a different body', content: { 'application/problem+json': { schema: problem } } },
          },
        },
      },
      '/v1/swipes/bulk': {
        post: {
          summary: 'Record an NDJSON stream of swipes of any length (history, backfills)',
          description: 'One swipe per line. Answered with counts and the line number and reason of each rejected line. Safe to resend: retries are idempotent.',
          security: [{ storeKey: [] }],
          requestBody: { required: true, content: { 'application/x-ndjson': { schema: { $ref: '#/components/schemas/Swipe' } } } },
          responses: {
            '200': { description: 'Counts and rejections', content: json({ $ref: '#/components/schemas/BulkReport' }) },
            '415': { description: 'Not NDJSON', content: { 'application/problem+json': { schema: problem } } },
          },
        },
      },
    },
  }
}
