import type { Response } from 'express'
import { AppError } from '../platform/http/errors'
import type { Logger } from '../platform/logger'
import { requireClvRun, requireRfmRun, type ClvRun, type RfmRun } from './analytics-runs.repo'
import type { SegmentMembersQuery } from './analytics.schemas'
import { clvFilterOf, type ClvFilter } from './clv-filters'
import type { ReadDeps } from './read-segments'
import { SEGMENTS, SEGMENT_SLUGS, type SegmentSlug } from './segments'
import { CSV_CHUNK_ROWS, segmentMembersPage, writeSegmentCsv, type ClvNarrowing } from './segments.repo'

/** The segment named by its slug, or a 404 listing the valid slugs. */
export function requireSegment(slug: string): (typeof SEGMENTS)[number] {
  const segment = SEGMENTS.find((s) => s.slug === slug)
  if (!segment) throw AppError.notFound(`no segment ${JSON.stringify(slug)}; the segments are ${SEGMENT_SLUGS.join(', ')}`)
  return segment
}

const DEFAULT_LIMIT = 100

/** With a CLV filter in the query: the newest done CLV run it reads values from, and the filter. */
async function clvNarrowing(deps: ReadDeps, query: ClvFilter): Promise<{ run: ClvRun; narrowing: ClvNarrowing } | undefined> {
  const filter = clvFilterOf(query)
  if (!filter) return undefined
  const run = await requireClvRun(deps.pg)
  return { run, narrowing: { runId: run.id, filter } }
}
const clvRunView = ({ valued: _valued, ...run }: ClvRun) => run

/**
 * GET /v1/segments/:name/members as JSON: one keyset page of the segment's members in member id
 * order. `next` is the cursor of the following page, null on the last. With a CLV filter, only
 * members passing it, with clv, p_alive and churn_band, and the CLV run as `clv_run`.
 */
export async function listSegmentMembers(deps: ReadDeps, slug: string, query: SegmentMembersQuery) {
  const segment = requireSegment(slug)
  const run = await requireRfmRun(deps.pg, query.run_id)
  const clv = await clvNarrowing(deps, query)
  const limit = query.limit ?? DEFAULT_LIMIT
  // One row more than the page tells whether another page follows.
  const rows = await segmentMembersPage(deps.ch, run.id, segment.slug, query.cursor ?? '', limit + 1, clv?.narrowing)
  const members = rows.slice(0, limit)
  return {
    run: { id: run.id, as_of: run.as_of, window_days: run.window_days, finished_at: run.finished_at },
    ...(clv && { clv_run: clvRunView(clv.run) }),
    segment,
    members,
    next: rows.length > limit ? members[members.length - 1]!.member_id : null,
  }
}

export interface CsvExport {
  slug: SegmentSlug
  run: RfmRun
  clv?: ClvNarrowing
}

/** The segment, run and CLV narrowing a CSV export is of, checked before anything is written. */
export async function csvExportOf(deps: ReadDeps, slug: string, runId: number | undefined, filter: ClvFilter = {}): Promise<CsvExport> {
  const segment = requireSegment(slug)
  const run = await requireRfmRun(deps.pg, runId)
  const clv = await clvNarrowing(deps, filter)
  return { slug: segment.slug, run, ...(clv && { clv: clv.narrowing }) }
}

/**
 * GET /v1/segments/:name/members as CSV: the whole segment, streamed from ClickHouse as an
 * attachment. Once the header is sent an error can no longer become a problem answer, so the
 * connection is cut instead: the client sees a failed download, never a short file that looks whole.
 */
export async function sendSegmentCsv(deps: ReadDeps & { logger: Logger }, res: Response, csv: CsvExport): Promise<void> {
  res.status(200)
  res.set('Content-Type', 'text/csv; charset=utf-8')
  res.set('Content-Disposition', `attachment; filename="segment-${csv.slug}-run-${csv.run.id}.csv"`)
  try {
    await writeSegmentCsv(deps.ch, csv.run.id, csv.slug, res, CSV_CHUNK_ROWS, csv.clv)
  } catch (error) {
    if (!res.headersSent) {
      res.removeHeader('Content-Disposition')
      throw error
    }
    deps.logger.warn({ err: error, run_id: csv.run.id, segment: csv.slug }, 'segment CSV export cut off')
    res.destroy(error as Error)
  }
}
