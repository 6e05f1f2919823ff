import { AppError } from '../platform/http/errors'
import { requireClvRun, requireReadableMember, type ClvRun } from './analytics-runs.repo'
import { CHURN_BANDS } from './clv-filters'
import { clvDeciles, clvModels, clvTotals, memberValueRow, type ModelRow } from './clv.repo'
import { cents, money, type ReadDeps } from './read-segments'

/**
 * The CLV reads of docs/clv.md "API": a member's value, and a run's models and distributions.
 * Floats that are not numbers (a fit that did not converge can leave NaN or ±Infinity) are
 * answered as null, so the answer is always valid JSON.
 */

/** A finite number, else null. */
const finite = (value: number | null | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places
const runView = ({ valued: _valued, ...run }: ClvRun) => run

export type ModelView = ReturnType<typeof modelView>
function modelView(row: ModelRow) {
  return {
    params: Object.fromEntries(Object.entries(row.params).map(([name, value]) => [name, finite(value)])),
    log_likelihood: finite(row.log_likelihood),
    iterations: row.iterations,
    converged: row.converged === 1,
    members: Number(row.members),
    note: row.note,
  }
}

/** The run's two models, each null when it was not fitted (no member to fit it on). */
async function modelsOf(deps: ReadDeps, runId: number): Promise<{ bgnbd: ModelView | null; gamma_gamma: ModelView | null }> {
  const models = new Map((await clvModels(deps.ch, runId)).map((row) => [row.model, modelView(row)]))
  return { bgnbd: models.get('bgnbd') ?? null, gamma_gamma: models.get('gamma_gamma') ?? null }
}

/**
 * GET /v1/members/:id/value: the member's value in the newest done CLV run, the history the
 * models saw, the run and the models' fit diagnostics.
 */
export async function memberValue(deps: ReadDeps, memberId: string) {
  await requireReadableMember(deps.pg, memberId, 'value')
  const run = await requireClvRun(deps.pg)
  const row = await memberValueRow(deps.ch, run.id, memberId)
  if (!row) throw AppError.notFound(`member ${memberId} has no value in CLV run ${run.id}: no purchase up to ${run.as_of}`)
  const spend = finite(row.expected_spend_per_visit)
  return {
    member_id: memberId,
    run: runView(run),
    p_alive: finite(row.p_alive),
    churn_risk: finite(row.churn_risk),
    churn_band: row.churn_band,
    expected_visits_30: finite(row.expected_visits_30),
    expected_visits_90: finite(row.expected_visits_90),
    expected_visits_365: finite(row.expected_visits_365),
    expected_spend_per_visit: spend === null ? null : spend.toFixed(2),
    clv: row.clv === null ? null : money(cents(row.clv)),
    history: {
      x: row.x,
      t_x_days: row.tx_days,
      t_x_weeks: row.tx_days / 7,
      T_days: row.t_days,
      T_weeks: row.t_days / 7,
      m: finite(row.m),
    },
    models: await modelsOf(deps, run.id),
  }
}

/**
 * GET /v1/clv: a done CLV run (default the newest), its models, and how value and churn risk
 * spread over its members: per churn band, per CLV decile (ranked in ClickHouse), in total.
 */
export async function clvReport(deps: ReadDeps, runId: number | undefined) {
  const run = await requireClvRun(deps.pg, runId)
  const [{ all: summary, bands: bandRows }, deciles, models] = await Promise.all([
    clvTotals(deps.ch, run.id),
    clvDeciles(deps.ch, run.id),
    modelsOf(deps, run.id),
  ])
  const valued = Number(summary.members)
  const total = cents(summary.total_clv)
  // A share of a total that is not positive means nothing.
  const shareOf = (amount: string) => (total > 0n ? round(Number(cents(amount)) / Number(total), 4) : null)
  const bands = new Map(bandRows.map((row) => [row.churn_band, row]))
  return {
    run: runView(run),
    models,
    members_valued: valued,
    members_without_clv: Number(summary.without_clv),
    total_clv: money(total),
    mean_p_alive: finite(summary.mean_p_alive),
    churn_bands: CHURN_BANDS.map((band) => {
      const row = bands.get(band)
      const members = Number(row?.members ?? 0)
      return {
        band,
        members,
        share: valued > 0 ? round(members / valued, 4) : 0,
        members_without_clv: Number(row?.without_clv ?? 0),
        total_clv: money(cents(row?.total_clv ?? '0')),
        clv_share: shareOf(row?.total_clv ?? '0'),
        mean_p_alive: finite(row?.mean_p_alive),
      }
    }),
    clv_deciles: deciles.map((row) => ({
      decile: Number(row.decile),
      members: Number(row.members),
      min_clv: money(cents(row.min_clv)),
      max_clv: money(cents(row.max_clv)),
      total_clv: money(cents(row.total_clv)),
      clv_share: shareOf(row.total_clv),
      mean_p_alive: finite(row.mean_p_alive),
    })),
  }
}
