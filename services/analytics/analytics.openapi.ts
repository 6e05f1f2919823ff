import { invalid, json, notFound, ok, pathParameter, problem, queryParameters, staffOperation } from '../platform/http/parts.openapi'
import {
  MemberIdSchema,
  MemberSegmentsQuerySchema,
  SegmentHistoryQuerySchema,
  SegmentMembersQuerySchema,
  SegmentMigrationQuerySchema,
  SegmentsQuerySchema,
} from './analytics.schemas'
import { SEGMENT_SLUGS } from './segments'

const SEGMENT_ROLES = ['marketer', 'analyst'] as const
const PROFILE_ROLES = ['marketer', 'support'] as const
const runNote = 'Only done runs are read; a run whose rows retention dropped (`pruned`) is as good as unknown.'

/**
 * The read API over the analytics runs (keep in sync with analytics.router.ts and
 * docs/segments.md "API"): segment sizes, their history and migration, a segment's members, and
 * a member's profile.
 */
export function analyticsOpenApi() {
  return {
    schemas: {},
    paths: {
      '/v1/segments': {
        get: staffOperation(SEGMENT_ROLES, {
          summary: 'RFM segment sizes of one run',
          description:
            `Every one of the ${SEGMENT_SLUGS.length} segments, empty ones included, in a fixed order, each with \`slug\`, \`name\`, ` +
            '`members`, `share` (of the active members, 4 decimals), `avg_r`, `avg_f`, `avg_m` (null when empty), `avg_monetary`, ' +
            '`revenue` (Σ monetary; amounts as text with 2 decimals) and `revenue_share` (null when the total is not positive). ' +
            `Default run: the newest done RFM run. ${runNote}`,
          parameters: queryParameters(SegmentsQuerySchema),
          responses: {
            '200': ok('`{run: {id, as_of, window_days, finished_at}, active_members, revenue, segments: [...]}`'),
            '400': invalid,
            '404': problem('No such done RFM run, or none published yet'),
          },
        }),
      },
      '/v1/segments/history': {
        get: staffOperation(SEGMENT_ROLES, {
          summary: 'Segment sizes over time',
          description:
            'One row per done RFM run, oldest first: `{id, as_of, window_days, finished_at, active_members, sizes: {<slug>: members}}` ' +
            'with every segment (0 when empty). `from` and `to` are dates (UTC, both included) the runs are as of; `limit` keeps the ' +
            `newest runs (default 400). ${runNote}`,
          parameters: queryParameters(SegmentHistoryQuerySchema),
          responses: { '200': ok('`{segments: [{slug, name}], runs: [...]}`'), '400': invalid },
        }),
      },
      '/v1/segments/migration': {
        get: staffOperation(SEGMENT_ROLES, {
          summary: 'Members moving between segments from one run to another',
          description:
            'Counts of members from each segment to each segment, as `flows: [{from, to, members}]`; `none` on the `from` side is a ' +
            'member who entered (no score in the first run), on the `to` side one who left. `totals`: `from_members`, `to_members`, ' +
            '`stayed`, `moved`, `entered`, `left`. Give `from` and `to` run ids, or neither for the two newest done RFM runs. ' +
            runNote,
          parameters: queryParameters(SegmentMigrationQuerySchema),
          responses: {
            '200': ok('`{from: run, to: run, flows, totals}`'),
            '400': invalid,
            '404': problem('A run is not a done RFM run, or fewer than two are published'),
          },
        }),
      },
      '/v1/segments/{name}/members': {
        get: staffOperation(SEGMENT_ROLES, {
          summary: "A segment's members with their scores",
          description:
            'Each member as `{member_id, r, f, m, recency_days, frequency, monetary}`, by member id. JSON pages by keyset: pass ' +
            '`next` as `cursor` (`limit` 1–1000, default 100). `format=csv`, or `Accept: text/csv`, streams the whole segment as ' +
            `CSV with a header row, as an attachment. CLV filters (docs/clv.md "API"): \`min_clv\`, \`max_clv\` (amounts), ` +
            '`min_p_alive`, `max_p_alive` (0–1), all inclusive, and `churn_band` (low, medium, high, or several comma-separated) ' +
            'keep only members whose value in the newest done CLV run passes them (members without one are left out), and add ' +
            "`clv` (null when the model gave none), `p_alive` and `churn_band` to each row (and the CSV's columns) and `clv_run` " +
            `to the answer; with a filter and no CLV run published, 404. ${runNote}`,
          parameters: [
            pathParameter('name', { enum: SEGMENT_SLUGS }, 'The segment slug'),
            ...queryParameters(SegmentMembersQuerySchema),
          ],
          responses: {
            '200': {
              description: '`{run, segment: {slug, name}, members, next}` (`next` is null on the last page), or the CSV',
              content: { ...json({ type: 'object' }), 'text/csv': { schema: { type: 'string' } } },
              headers: { 'Content-Disposition': { schema: { type: 'string' }, description: 'CSV only: attachment; filename="segment-<slug>-run-<id>.csv"' } },
            },
            '400': invalid,
            '404': problem('No such segment (the problem lists the slugs), no such done RFM run, or a CLV filter and no done CLV run'),
          },
        }),
      },
      '/v1/members/{id}/segments': {
        get: staffOperation(PROFILE_ROLES, {
          summary: "A member's RFM segment in each kept RFM run",
          description:
            'Every done RFM run whose scores retention still keeps, newest first, that scored the member (runs where they were ' +
            'not active are left out): `{member_id, runs: [{run_id, as_of, segment: {slug, name}, r, f, m}]}`. No personal data.',
          parameters: [pathParameter('id', MemberIdSchema, 'The member id (mem_…)'), ...queryParameters(MemberSegmentsQuerySchema)],
          responses: {
            '200': ok('`{member_id, runs}` (empty when no kept run scored them)'),
            '400': invalid,
            '404': notFound('member (a merged member: the problem names the member it was merged into)'),
          },
        }),
      },
      '/v1/members/{id}/profile': {
        get: staffOperation(PROFILE_ROLES, {
          summary: "A member's purchase-behaviour profile",
          description:
            'From the newest done profiles run (docs/segments.md "Profile"), with its `run`. Amounts are text with 2 decimals, ' +
            'quantities with 3, times ISO 8601. `lapsed_category`: the category with the most net spend in the window before ' +
            'the recent 90 days among those the member no longer buys (recent net ≤ 0), `""` when none. No personal data.',
          parameters: [pathParameter('id', MemberIdSchema, 'The member id (mem_…)')],
          responses: {
            '200': ok('The profile: `{member_id, run, visits, sales, spend, …, trend, lapsed_category}`'),
            '400': invalid,
            '404': notFound('member, or no profile for them in the newest run (a merged member: the problem names the member it was merged into)'),
          },
        }),
      },
    },
  }
}
