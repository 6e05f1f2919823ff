import { insertTsv, type ClickHouse } from '../platform/clickhouse'
import { sql } from '../platform/sql-loader'
import { fitBgNbd, type BgNbdFit } from '../clv/bgnbd'
import { scoreHistory } from '../clv/clv'
import { fitGammaGamma, type GammaGammaFit } from '../clv/gamma-gamma'

/** CLV settings of a run (config CLV_HORIZON_MONTHS, CLV_MONTHLY_DISCOUNT, CLV_GG_FIT_MEMBERS). */
export interface ClvSettings {
  horizonMonths: number
  monthlyDiscount: number
  /** At most this many members' (x, m) go into the Gamma-Gamma fit. */
  gammaGammaFitMembers: number
}

type FitSummary<F extends BgNbdFit | GammaGammaFit> = Pick<F, 'params' | 'logLikelihood' | 'iterations' | 'converged'> & { members: number }

export interface ClvStageResult {
  valued: number
  /** null: no member has a purchase before as_of, so there is nothing to fit. */
  bgnbd: FitSummary<BgNbdFit> | null
  gamma_gamma: FitSummary<GammaGammaFit> | null
}

/** What runClvStage reports besides the result: its size and where its time went. */
export interface ClvStageTimings {
  /** Distinct (x, t_x, T) scored and written to clv_histories. */
  histories: number
  /** Wall time of each step, in seconds (bench/clv.bench.ts prints them). */
  seconds: Partial<Record<ClvStep, number>>
}

export type ClvStep = 'summary' | 'read_histories' | 'bgnbd_fit' | 'read_spends' | 'gamma_gamma_fit' | 'score' | 'write_histories' | 'scores' | 'models'

const DAYS_PER_WEEK = 7

/**
 * The CLV stage of a run (docs/clv.md): ClickHouse summarises each member (clv-members.sql);
 * Node reads only the distinct (x, t_x, T) with their counts and a bounded sample of (x, m),
 * fits BG/NBD and Gamma-Gamma (services/clv, plain TypeScript), scores each distinct history
 * and writes those few rows back; ClickHouse joins them to every member (clv-scores.sql).
 */
export async function runClvStage(ch: ClickHouse, runId: number, asOf: string, settings: ClvSettings): Promise<ClvStageResult & ClvStageTimings> {
  const seconds: ClvStageTimings['seconds'] = {}
  let mark = performance.now()
  const lap = (step: ClvStep) => {
    const now = performance.now()
    seconds[step] = Math.round(now - mark) / 1000
    mark = now
  }
  await command(ch, 'clv-members', { run_id: runId, as_of: asOf })
  lap('summary')

  const histories = (await tsvRows(ch, 'clv-bgnbd-input', { run_id: runId })).map(([x, tx, t, n]) => ({
    x: Number(x),
    txDays: Number(tx),
    tDays: Number(t),
    count: Number(n),
  }))
  const members = histories.reduce((sum, h) => sum + h.count, 0)
  lap('read_histories')
  if (members === 0) return { valued: 0, bgnbd: null, gamma_gamma: null, histories: 0, seconds }
  const bgnbd = fitBgNbd(histories.map((h) => ({ x: h.x, tx: h.txDays / DAYS_PER_WEEK, T: h.tDays / DAYS_PER_WEEK, count: h.count })))
  lap('bgnbd_fit')

  const spends = (await tsvRows(ch, 'clv-gamma-gamma-input', { run_id: runId, limit: settings.gammaGammaFitMembers })).map(([x, m]) => ({
    x: Number(x),
    m: Number(m),
    count: 1,
  }))
  lap('read_spends')
  const gammaGamma = spends.length > 0 ? fitGammaGamma(spends) : null
  lap('gamma_gamma_fit')
  // The population mean spend p γ / (q − 1) exists only for q > 1.
  const spendOk = gammaGamma !== null && gammaGamma.converged && gammaGamma.params.q > 1

  const scored = histories.map((h) => {
    const s = scoreHistory(bgnbd.params, { x: h.x, tx: h.txDays / DAYS_PER_WEEK, T: h.tDays / DAYS_PER_WEEK }, settings)
    return [runId, h.x, h.txDays, h.tDays, s.pAlive, s.expectedVisits30, s.expectedVisits90, s.expectedVisits365, s.discountedVisits].join('\t')
  })
  lap('score')
  await insertTsv(ch.client, 'clv_histories', HISTORY_COLUMNS, scored.join('\n'))
  lap('write_histories')
  // Without a usable fit the SQL answers NULL; it still evaluates the formula, so it gets
  // harmless numbers rather than a division by zero.
  const gg = spendOk ? gammaGamma!.params : { p: 1, q: 2, gamma: 1 }
  // As text: a fit that ran off towards infinity can leave a whole float beyond 2^53, which the
  // client refuses to send as a number.
  await command(ch, 'clv-scores', { run_id: runId, p: String(gg.p), q: String(gg.q), gamma: String(gg.gamma), spend_ok: spendOk ? 1 : 0 })
  lap('scores')
  const result: ClvStageResult & ClvStageTimings = {
    valued: members,
    bgnbd: { params: bgnbd.params, logLikelihood: bgnbd.logLikelihood, iterations: bgnbd.iterations, converged: bgnbd.converged, members },
    gamma_gamma: gammaGamma && {
      params: gammaGamma.params,
      logLikelihood: gammaGamma.logLikelihood,
      iterations: gammaGamma.iterations,
      converged: gammaGamma.converged,
      members: spends.length,
    },
    histories: histories.length,
    seconds,
  }
  await insertModels(ch, runId, [
    { model: 'bgnbd', ...result.bgnbd!, note: bgnbd.converged ? '' : 'did not converge: scores use the last parameters reached' },
    ...(result.gamma_gamma
      ? [{ model: 'gamma_gamma', ...result.gamma_gamma, note: spendOk ? '' : 'unusable (not converged, or q <= 1): spend and CLV are NULL' }]
      : []),
  ])
  lap('models')
  return result
}

interface ModelRow {
  model: string
  params: object
  logLikelihood: number
  iterations: number
  converged: boolean
  members: number
  note: string
}

async function insertModels(ch: ClickHouse, runId: number, models: ModelRow[]): Promise<void> {
  if (models.length === 0) return
  await ch.client.insert({
    table: 'clv_models',
    format: 'JSONEachRow',
    values: models.map((m) => ({
      run_id: runId,
      model: m.model,
      params: m.params,
      log_likelihood: m.logLikelihood,
      iterations: m.iterations,
      converged: m.converged ? 1 : 0,
      members: m.members,
      note: m.note,
    })),
  })
}

async function command(ch: ClickHouse, name: string, params: Record<string, unknown>): Promise<void> {
  await ch.client.command({ query: sql(`clickhouse/queries/analytics/${name}`), query_params: params })
}

async function tsvRows(ch: ClickHouse, name: string, params: Record<string, unknown>): Promise<string[][]> {
  const result = await ch.client.query({ query: sql(`clickhouse/queries/analytics/${name}`), query_params: params, format: 'TabSeparated' })
  const text = await result.text()
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => line.split('\t'))
}

const HISTORY_COLUMNS = ['run_id', 'x', 'tx_days', 't_days', 'p_alive', 'expected_visits_30', 'expected_visits_90', 'expected_visits_365', 'discounted_visits']
