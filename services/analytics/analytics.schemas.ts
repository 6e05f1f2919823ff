import { z } from 'zod'
import { MemberIdSchema } from '../members/members.schemas'
import { checkClvFilter, ClvFilterFields } from './clv-filters'

/**
 * Query strings of the segments and profile routes (analytics.router.ts). Every schema is
 * strict: an unknown parameter is a 400 naming it, as a misspelt filter must not be ignored.
 */

/** An analytics run's id (analytics_runs.id). */
export const RunIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,14}$/, 'must be a run id (a positive integer)')
  .transform(Number)

const DateSchema = z.iso.date({ message: 'must be a date, YYYY-MM-DD' })

/** GET /v1/segments. */
export const SegmentsQuerySchema = z.strictObject({
  /** The done RFM run to read; default the newest. */
  run_id: RunIdSchema.optional(),
})

/** GET /v1/segments/history: runs as of `from` … `to` (whole UTC days, both included), newest `limit`. */
export const SegmentHistoryQuerySchema = z
  .strictObject({
    from: DateSchema.optional(),
    to: DateSchema.optional(),
    limit: z.coerce.number({ message: 'must be a number' }).int().min(1).max(1000).default(400),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ['to'], message: 'must not be before from' })
export type SegmentHistoryQuery = z.infer<typeof SegmentHistoryQuerySchema>

/**
 * GET /v1/segments/:name/members. `cursor` and `limit` page the JSON listing; the CSV is always
 * the whole segment, so they are refused with `format=csv`. The CLV filters (clv-filters.ts)
 * narrow both to members whose value in the newest done CLV run passes them.
 */
export const SegmentMembersQuerySchema = z
  .strictObject({
    run_id: RunIdSchema.optional(),
    /** The last member id of the previous page (its `next`). */
    cursor: MemberIdSchema.optional(),
    limit: z.coerce.number({ message: 'must be a number' }).int().min(1).max(1000).optional(),
    format: z.enum(['json', 'csv']).optional(),
    ...ClvFilterFields,
  })
  .superRefine((q, ctx) => {
    checkClvFilter(q, ctx)
    if (q.format !== 'csv') return
    for (const key of ['cursor', 'limit'] as const) {
      if (q[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'the CSV is the whole segment: leave out cursor and limit' })
    }
  })
export type SegmentMembersQuery = z.infer<typeof SegmentMembersQuerySchema>

/** GET /v1/segments/migration: both runs, or neither (the two newest). */
export const SegmentMigrationQuerySchema = z
  .strictObject({ from: RunIdSchema.optional(), to: RunIdSchema.optional() })
  .superRefine((q, ctx) => {
    if ((q.from === undefined) !== (q.to === undefined)) {
      ctx.addIssue({ code: 'custom', path: [q.from === undefined ? 'from' : 'to'], message: 'give both from and to, or neither (the two newest runs)' })
    } else if (q.from !== undefined && q.from === q.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be another run than from' })
    }
  })

/** GET /v1/members/:id/profile takes no query parameters. */
export const ProfileQuerySchema = z.strictObject({})

/** GET /v1/members/:id/segments takes none either (every kept done RFM run). */
export const MemberSegmentsQuerySchema = z.strictObject({})

/** GET /v1/members/:id/value takes none either (it reads the newest done CLV run). */
export const MemberValueQuerySchema = z.strictObject({})

/** GET /v1/clv. */
export const ClvQuerySchema = z.strictObject({
  /** The done CLV run to read; default the newest. */
  run_id: RunIdSchema.optional(),
})

export { MemberIdSchema }
