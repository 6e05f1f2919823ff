import { cents, money, type ReadDeps } from '../analytics/read-segments'
import { requireRfmRun } from '../analytics/analytics-runs.repo'
import { segmentOf, type Score } from '../analytics/segments'
import { sql } from '../platform/sql-loader'

const SCORES: Score[] = [1, 2, 3, 4, 5]

/**
 * GET /v1/segments/grid: the 25 R × F cells of one RFM run (default the newest), R = 5 down to 1
 * and F = 1 to 5, each with its members, revenue (Σ monetary) and the segment segments.ts maps
 * it to; empty cells read 0.
 */
export async function segmentGrid(deps: ReadDeps, runId: number | undefined) {
  const { scored: _scored, ...run } = await requireRfmRun(deps.pg, runId)
  const result = await deps.ch.client.query({ query: sql('clickhouse/queries/dashboards/read-rfm-grid'), query_params: { run_id: run.id }, format: 'JSONEachRow' })
  const rows = await result.json<{ r: number; f: number; members: string; revenue: string }>()
  const byCell = new Map(rows.map((row) => [`${row.r}:${row.f}`, row]))
  let members = 0
  let revenue = 0n
  const cells = [...SCORES].reverse().flatMap((r) =>
    SCORES.map((f) => {
      const row = byCell.get(`${r}:${f}`)
      const cellRevenue = row ? cents(row.revenue) : 0n
      members += Number(row?.members ?? 0)
      revenue += cellRevenue
      return { r, f, segment: segmentOf(r, f), members: Number(row?.members ?? 0), revenue: money(cellRevenue) }
    }),
  )
  return { run, members, revenue: money(revenue), cells }
}
