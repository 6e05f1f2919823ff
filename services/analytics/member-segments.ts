import { listRfmRuns, requireReadableMember } from './analytics-runs.repo'
import type { ReadDeps } from './read-segments'
import { SEGMENTS } from './segments'
import { sql } from '../platform/sql-loader'

/** More done RFM runs than retention keeps (rfmKeepDays of weekly runs): in effect every kept run. */
const MAX_RUNS = 1000

const segmentNames = new Map<string, string>(SEGMENTS.map((s) => [s.slug, s.name]))

interface ScoreRow {
  run_id: string
  segment: string
  r: number
  f: number
  m: number
}

/**
 * GET /v1/members/:id/segments: the member's RFM segment in each done RFM run still kept,
 * newest first (runs that did not score them, i.e. they were not active, are left out). The
 * runs come from Postgres, the scores from one ClickHouse query over rfm_scores. No personal data.
 */
export async function memberSegments(deps: ReadDeps, memberId: string) {
  await requireReadableMember(deps.pg, memberId, 'segments')
  const runs = await listRfmRuns(deps.pg, { limit: MAX_RUNS })
  if (runs.length === 0) return { member_id: memberId, runs: [] }
  const result = await deps.ch.client.query({
    query: sql('clickhouse/queries/analytics/read-member-segments'),
    query_params: { run_ids: runs.map((run) => run.id), member_id: memberId },
    format: 'JSONEachRow',
  })
  const scores = new Map((await result.json<ScoreRow>()).map((row) => [Number(row.run_id), row]))
  return {
    member_id: memberId,
    runs: runs.flatMap((run) => {
      const score = scores.get(run.id)
      if (!score) return []
      return [{
        run_id: run.id,
        as_of: run.as_of,
        segment: { slug: score.segment, name: segmentNames.get(score.segment) ?? score.segment },
        r: Number(score.r),
        f: Number(score.f),
        m: Number(score.m),
      }]
    }),
  }
}
