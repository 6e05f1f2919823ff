import { analyticsOpenApi } from '../../analytics/analytics.openapi'
import { clvOpenApi } from '../../analytics/clv.openapi'
import { recomputeOpenApi } from '../../analytics/recompute.openapi'
import { campaignsOpenApi } from '../../campaigns/campaigns.openapi'
import { launchOpenApi } from '../../campaigns/launch.openapi'
import { couponsOpenApi } from '../../campaigns/coupons.openapi'
import { dashboardsOpenApi } from '../../dashboards/dashboards.openapi'
import { reportOpenApi } from '../../campaigns/report.openapi'
import { swipesOpenApi } from '../../ingest/swipes.openapi'
import { jobsOpenApi } from '../../jobs/jobs.openapi'
import { meOpenApi } from '../../members/me.openapi'
import { membersOpenApi } from '../../members/members.openapi'
import { pointsOpenApi } from '../../points/points.openapi'

type Part = { schemas: Record<string, object>; paths: Record<string, Record<string, object>> }

/**
 * The areas' parts as one set of schemas and paths. Two parts naming the same schema, or the
 * same method of a path, is a programming error: one would silently replace the other.
 */
function combine(parts: Part[]): Part {
  const schemas: Part['schemas'] = {}
  const paths: Part['paths'] = {}
  for (const part of parts) {
    for (const [name, schema] of Object.entries(part.schemas)) {
      if (name in schemas) throw new Error(`OpenAPI schema ${name} is defined twice`)
      schemas[name] = schema
    }
    for (const [path, operations] of Object.entries(part.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (paths[path]?.[method]) throw new Error(`OpenAPI operation ${method.toUpperCase()} ${path} is defined twice`)
        paths[path] = { ...paths[path], [method]: operation }
      }
    }
  }
  return { schemas, paths }
}

/** The OpenAPI 3.1 document served at /openapi.json, built from the areas' zod schemas. */
export function buildOpenApiDocument(version: string) {
  const areas = combine([swipesOpenApi(), membersOpenApi(), meOpenApi(), pointsOpenApi(), analyticsOpenApi(), clvOpenApi(), recomputeOpenApi(), jobsOpenApi(), campaignsOpenApi(), launchOpenApi(), reportOpenApi(), couponsOpenApi(), dashboardsOpenApi()])
  return {
    openapi: '3.1.0',
    info: { title: 'Loyalty platform API', version, description: 'Card swipes in; points, segments and campaigns out.' },
    components: {
      securitySchemes: {
        storeKey: { type: 'http', scheme: 'bearer', description: "A store's till key (lsk_…), from `npm run admin -- store create`" },
        staffToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A staff token (lt1.…) from POST /v1/staff/sessions; it lasts STAFF_TOKEN_TTL_SECONDS. Each operation lists the staff ' +
            'roles it admits in its description and in `x-roles`; admin passes every role check.',
        },
        memberToken: {
          type: 'http',
          scheme: 'bearer',
          description: "A member's token (lt1.…) from POST /v1/me/sessions; it lasts MEMBER_TOKEN_TTL_SECONDS and opens /v1/me only.",
        },
      },
      schemas: {
        ...areas.schemas,
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          required: ['type', 'title', 'status', 'detail', 'request_id'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string' },
            detail: { type: 'string' },
            request_id: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { path: { type: 'string', examples: ['$.lines[3].quantity'] }, message: { type: 'string' } } },
            },
          },
        },
        SwipeAnswer: {
          type: 'object',
          properties: {
            txn_id: { type: 'string' },
            store_id: { type: 'string' },
            kind: { enum: ['sale', 'return'] },
            card: { type: 'string', description: 'the card number, masked' },
            total: { type: 'string' },
            line_count: { type: 'integer' },
            accepted_at: { type: 'string', format: 'date-time' },
            points: {
              description: 'A sale: points earned, by rule. A return: points taken back, by SKU and bonus. Absent with POINTS_SCORING=off.',
              oneOf: [
                { type: 'object', properties: { earned: { type: 'integer' }, breakdown: { type: 'array', items: { $ref: '#/components/schemas/PointsBreakdownEntry' } } } },
                { type: 'object', properties: { reversed: { type: 'integer' }, breakdown: { type: 'array', items: { type: 'object' } } } },
              ],
            },
            balance: { type: 'integer', description: "the member's balance after this swipe (below zero while a return's points are owed)" },
            tier: { type: ['string', 'null'], description: "the member's tier code after this swipe" },
            card_status: { enum: ['blocked'], description: 'present when the card is blocked: the swipe is kept but earns nothing' },
            coupons: {
              type: 'array',
              items: { $ref: '#/components/schemas/CouponOutcome' },
              description: "a sale with coupon_codes: each code's outcome, in the order sent (docs/campaigns.md)",
            },
          },
        },
        PointsBreakdownEntry: {
          type: 'object',
          properties: { rule_id: { type: 'string', examples: ['rul_base_eur'] }, name: { type: 'string' }, points: { type: 'integer' } },
        },
        BulkReport: {
          type: 'object',
          properties: {
            lines: { type: 'integer' },
            accepted: { type: 'integer' },
            replayed: { type: 'integer' },
            rejected: { type: 'integer' },
            rejections: { type: 'array', items: { type: 'object', properties: { line: { type: 'integer' }, txn_id: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, errors: { type: 'array' } } } },
            rejections_truncated: { type: 'boolean' },
          },
        },
      },
    },
    paths: {
      '/healthz': { get: { summary: 'Alive', responses: { '200': { description: 'The process is up' } } } },
      '/readyz': { get: { summary: 'Postgres, Redis and ClickHouse reachable', responses: { '200': { description: 'Ready' }, '503': { description: 'A dependency is down' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text/plain; version=0.0.4' } } } },
      ...areas.paths,
    },
  }
}
