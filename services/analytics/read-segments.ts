import type { ClickHouse } from '../platform/clickhouse'
import { formatScaled, parseScaled } from '../platform/decimal'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { listRfmRuns, requireRfmRun, type RfmRun, type RunView } from './analytics-runs.repo'
import type { SegmentHistoryQuery } from './analytics.schemas'
import { SEGMENTS, SEGMENT_SLUGS } from './segments'
import { segmentHistory, segmentMigration, segmentSizes, type MigrationRow } from './segments.repo'

/** The segment reads of docs/segments.md "API": sizes of one run, sizes over time, migration. */
export interface ReadDeps {
  pg: Postgres
  ch: ClickHouse
}

/** Decimal text as ClickHouse prints it ('5', '-12.5') in cents. */
export const cents = (text: string): bigint => {
  const units = parseScaled(text, 2)
  if (units === null) throw new Error(`not an amount with at most 2 decimals: ${text}`)
  return units
}
/** Cents as text with 2 decimals ("5.00"). */
export const money = (units: bigint): string => formatScaled(units, 2)
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places
const runView = ({ scored: _scored, ...run }: RfmRun): RunView => run

/**
 * GET /v1/segments: every segment of segments.ts, in its order, empty ones included, with its
 * share of the run's active members and of their revenue.
 */
export async function segmentsReport(deps: ReadDeps, runId: number | undefined) {
  const run = await requireRfmRun(deps.pg, runId)
  const sizes = new Map((await segmentSizes(deps.ch, run.id)).map((row) => [row.segment, row]))
  const active = [...sizes.values()].reduce((sum, row) => sum + row.members, 0)
  const revenue = [...sizes.values()].reduce((sum, row) => sum + cents(row.revenue), 0n)
  const segments = SEGMENTS.map(({ slug, name }) => {
    const row = sizes.get(slug)
    const segmentRevenue = row ? cents(row.revenue) : 0n
    return {
      slug,
      name,
      members: row?.members ?? 0,
      share: active > 0 ? round((row?.members ?? 0) / active, 4) : 0,
      avg_r: row ? round(row.avg_r, 2) : null,
      avg_f: row ? round(row.avg_f, 2) : null,
      avg_m: row ? round(row.avg_m, 2) : null,
      avg_monetary: row ? money(cents(row.avg_monetary)) : null,
      revenue: money(segmentRevenue),
      // A share of a total that is not positive means nothing (returns can outweigh sales).
      revenue_share: revenue > 0n ? round(Number(segmentRevenue) / Number(revenue), 4) : null,
    }
  })
  return { run: runView(run), active_members: active, revenue: money(revenue), segments }
}

/** GET /v1/segments/history: per run, oldest first, the members of each segment (0 when empty). */
export async function segmentHistoryReport(deps: ReadDeps, query: SegmentHistoryQuery) {
  const runs = await listRfmRuns(deps.pg, {
    from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
    before: query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000) : undefined,
    limit: query.limit,
  })
  const counts = new Map<number, Map<string, number>>()
  for (const row of await segmentHistory(deps.ch, runs.map((run) => run.id))) {
    if (!counts.has(row.run_id)) counts.set(row.run_id, new Map())
    counts.get(row.run_id)!.set(row.segment, row.members)
  }
  return {
    segments: SEGMENTS.map(({ slug, name }) => ({ slug, name })),
    runs: runs.reverse().map((run) => {
      const sizes = Object.fromEntries(SEGMENT_SLUGS.map((slug) => [slug, counts.get(run.id)?.get(slug) ?? 0]))
      return { ...runView(run), active_members: Object.values(sizes).reduce((a, b) => a + b, 0), sizes }
    }),
  }
}

/** A member with no score in a run: entered (from none) or left (to none). */
export const NONE = 'none'

/**
 * GET /v1/segments/migration: members from each segment to each segment between two done RFM
 * runs (default the two newest), members entering and leaving included.
 */
export async function segmentMigrationReport(deps: ReadDeps, runs: { from?: number; to?: number }) {
  const [from, to] = runs.from !== undefined && runs.to !== undefined ? await namedRuns(deps, runs.from, runs.to) : await newestTwo(deps)
  const flows = (await segmentMigration(deps.ch, from.id, to.id)).sort(byFlow)
  const sum = (keep: (row: MigrationRow) => boolean) => flows.filter(keep).reduce((total, row) => total + row.members, 0)
  return {
    from: runView(from),
    to: runView(to),
    flows: flows.map((row) => ({ from: row.from_segment, to: row.to_segment, members: row.members })),
    totals: {
      from_members: sum((row) => row.from_segment !== NONE),
      to_members: sum((row) => row.to_segment !== NONE),
      stayed: sum((row) => row.from_segment === row.to_segment),
      moved: sum((row) => row.from_segment !== row.to_segment && row.from_segment !== NONE && row.to_segment !== NONE),
      entered: sum((row) => row.from_segment === NONE),
      left: sum((row) => row.to_segment === NONE),
    },
  }
}

async function namedRuns(deps: ReadDeps, from: number, to: number): Promise<[RfmRun, RfmRun]> {
  return [await requireRfmRun(deps.pg, from, 'from'), await requireRfmRun(deps.pg, to, 'to')]
}

async function newestTwo(deps: ReadDeps): Promise<[RfmRun, RfmRun]> {
  const [newest, previous] = await listRfmRuns(deps.pg, { limit: 2 })
  if (!newest || !previous) {
    throw AppError.notFound(`migration compares two done RFM runs and ${newest ? 'only one is' : 'none is'} published yet`)
  }
  return [previous, newest]
}

/** Segments in segments.ts order, 'none' last. */
const position = (segment: string) => (segment === NONE ? SEGMENT_SLUGS.length : SEGMENT_SLUGS.indexOf(segment as never))
const byFlow = (a: MigrationRow, b: MigrationRow) =>
  position(a.from_segment) - position(b.from_segment) || position(a.to_segment) - position(b.to_segment)
