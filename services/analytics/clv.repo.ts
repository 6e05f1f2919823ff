import type { ClickHouse } from '../platform/clickhouse'
import { sql } from '../platform/sql-loader'

/**
 * What the CLV read routes take from ClickHouse (sql/clickhouse/queries/analytics/read-*clv*.sql,
 * read-member-value.sql), as JSONEachRow prints it: 64-bit integers and decimals as text, a
 * float that is not a number (NaN, ±Infinity) as null.
 */

export interface MemberValueRow {
  x: number
  tx_days: number
  t_days: number
  m: number | null
  p_alive: number | null
  expected_visits_30: number | null
  expected_visits_90: number | null
  expected_visits_365: number | null
  expected_spend_per_visit: number | null
  /** Text with 2 decimals, or null. */
  clv: string | null
  churn_risk: number | null
  churn_band: string
}

export interface ModelRow {
  model: string
  params: Record<string, number | null>
  log_likelihood: number | null
  iterations: number
  converged: number
  members: string
  note: string
}

/** Members, members without a CLV, total CLV (text) and mean P(alive): of a run, or of one churn band. */
export interface ClvTotalsRow {
  members: string
  without_clv: string
  total_clv: string
  mean_p_alive: number | null
}

export interface ClvDecileRow {
  decile: string
  members: string
  min_clv: string
  max_clv: string
  total_clv: string
  mean_p_alive: number | null
}

async function rows<T>(ch: ClickHouse, name: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await ch.client.query({ query: sql(`clickhouse/queries/analytics/${name}`), query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

/** The member's clv_scores row of the run, if it has one. */
export async function memberValueRow(ch: ClickHouse, runId: number, memberId: string): Promise<MemberValueRow | undefined> {
  const [row] = await rows<MemberValueRow>(ch, 'read-member-value', { run_id: runId, member_id: memberId })
  return row
}

/** The run's fitted models (none when no member had a purchase). */
export async function clvModels(ch: ClickHouse, runId: number): Promise<ModelRow[]> {
  return rows<ModelRow>(ch, 'read-clv-models', { run_id: runId })
}

/** The run's totals, and per churn band with members (one statement, grouping sets). */
export async function clvTotals(ch: ClickHouse, runId: number): Promise<{ all: ClvTotalsRow; bands: (ClvTotalsRow & { churn_band: string })[] }> {
  const found = await rows<ClvTotalsRow & { band: string }>(ch, 'read-clv-totals', { run_id: runId })
  const all = found.find((row) => row.band === 'all') ?? { members: '0', without_clv: '0', total_clv: '0.00', mean_p_alive: null }
  return { all, bands: found.filter((row) => row.band !== 'all').map(({ band, ...totals }) => ({ ...totals, churn_band: band })) }
}

/** The non-empty CLV deciles, top (1) first. */
export async function clvDeciles(ch: ClickHouse, runId: number): Promise<ClvDecileRow[]> {
  return rows<ClvDecileRow>(ch, 'read-clv-deciles', { run_id: runId })
}
