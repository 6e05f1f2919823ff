import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

/** A published run as readers show it: only done runs whose rows retention still keeps. */
export interface RunView {
  id: number
  as_of: string
  window_days: number
  finished_at: string
}

/** An RFM run, with the number of members it scored (the active members). */
export interface RfmRun extends RunView {
  scored: number
}

interface RunRow {
  id: number
  as_of: Date
  window_days: number
  finished_at: Date
  scored?: number | null
}

const view = (row: RunRow): RunView => ({
  id: row.id,
  as_of: row.as_of.toISOString(),
  window_days: row.window_days,
  finished_at: row.finished_at.toISOString(),
})
const rfmView = (row: RunRow): RfmRun => ({ ...view(row), scored: row.scored ?? 0 })

/** The done RFM run `id` (default the newest), or a 404 saying why there is none. */
export async function requireRfmRun(pg: Postgres, id: number | undefined, param = 'run_id'): Promise<RfmRun> {
  const [row] = await pg.query<RunRow>(sql('postgres/queries/analytics/find-rfm-run'), [id ?? null])
  if (row) return rfmView(row)
  throw AppError.notFound(
    id === undefined
      ? 'no RFM run has been published yet'
      : `${param} ${id} is not a done RFM run whose scores are kept (unknown, running, failed, without RFM, or pruned by retention)`,
  )
}

/** Done RFM runs, newest first: as of [from, before) when given, at most `limit`. */
export async function listRfmRuns(pg: Postgres, range: { from?: Date; before?: Date; limit: number }): Promise<RfmRun[]> {
  const rows = await pg.query<RunRow>(sql('postgres/queries/analytics/list-rfm-runs'), [range.from ?? null, range.before ?? null, range.limit])
  return rows.map(rfmView)
}

/** The newest done profiles run, or a 404. */
export async function requireProfilesRun(pg: Postgres): Promise<RunView> {
  const [row] = await pg.query<RunRow>(sql('postgres/queries/analytics/find-profiles-run'))
  if (!row) throw AppError.notFound('no profiles run has been published yet')
  return view(row)
}

/** A CLV run: its settings and the members it valued. */
export interface ClvRun {
  id: number
  as_of: string
  horizon_months: number
  /** A fraction per month (0.01 = 1 %). */
  monthly_discount: number
  finished_at: string
  valued: number
}

/** The done CLV run `id` (default the newest), or a 404 saying why there is none. */
export async function requireClvRun(pg: Postgres, id?: number, param = 'run_id'): Promise<ClvRun> {
  const [row] = await pg.query<Omit<ClvRun, 'as_of' | 'finished_at'> & { as_of: Date; finished_at: Date }>(sql('postgres/queries/analytics/find-clv-run'), [id ?? null])
  if (!row) {
    throw AppError.notFound(
      id === undefined
        ? 'no CLV run has been published yet'
        : `${param} ${id} is not a done CLV run whose scores are kept (unknown, running, failed, without CLV, or pruned by retention)`,
    )
  }
  return { ...row, as_of: row.as_of.toISOString(), finished_at: row.finished_at.toISOString(), valued: row.valued ?? 0 }
}

/**
 * A member whose analytics can be read, or a 404: unknown, or merged (naming the member it was
 * merged into, whose `what`, e.g. 'profile', holds its history now).
 */
export async function requireReadableMember(pg: Postgres, memberId: string, what: string): Promise<void> {
  const member = await memberState(pg, memberId)
  if (!member) throw AppError.notFound(`no member ${memberId}`)
  if (member.status === 'merged') {
    throw AppError.notFound(`member ${memberId} was merged into ${member.merged_into}: its history is that member's ${what} now`)
  }
}

/** Whether a member exists and, when merged, into whom. */
export async function memberState(pg: Postgres, memberId: string): Promise<{ status: string; merged_into: string | null } | undefined> {
  const [row] = await pg.query<{ status: string; merged_into: string | null }>(sql('postgres/queries/analytics/find-member-state'), [memberId])
  return row
}
