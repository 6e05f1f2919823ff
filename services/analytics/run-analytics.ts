import type { ClickHouse } from '../platform/clickhouse'
import type { Logger } from '../platform/logger'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { copyCardMap } from './card-map'
import { runClvStage, type ClvSettings, type ClvStageResult } from './clv-stage'
import { segmentMapParam } from './segments'

export type AnalyticsKind = 'profiles' | 'rfm' | 'clv'
export const ANALYTICS_KINDS = ['profiles', 'rfm', 'clv'] as const satisfies readonly AnalyticsKind[]

export interface AnalyticsDeps {
  pg: Postgres
  ch: ClickHouse
  logger: Logger
  clock: () => Date
}

export interface AnalyticsRequest {
  kinds: readonly AnalyticsKind[]
  asOf: Date
  profileWindowDays: number
  rfmWindowDays: number
  /** Required when kinds has 'clv'. */
  clv?: ClvSettings
  /** The BullMQ job running it (queue.id), recorded with the run. */
  jobId?: string
}

/** Retention (config PROFILE_KEEP_RUNS, RFM_KEEP_DAYS): CLV runs are kept like profile runs. */
export interface Retention {
  profileKeepRuns: number
  rfmKeepDays: number
}

export type Stage = 'card-map' | AnalyticsKind | 'publish'

export interface RunProgress {
  run_id: number
  stage: Stage
  /** Stages finished, of `stages`. */
  done: number
  stages: number
}

export interface RunResult {
  run_id: number
  cards: number
  profiles: number
  scored: number
  valued: number
  /** The CLV models' parameters and fit diagnostics (also in clv_models), when CLV ran. */
  clv?: Omit<ClvStageResult, 'valued'>
  /** Wall time per stage, in seconds. */
  seconds: Partial<Record<Stage, number>>
}

/**
 * One analytics run (docs/segments.md "A run"): the card map, then each kind's SQL inside
 * ClickHouse, then publish in Postgres. Readers only see done runs, so a run that fails
 * anywhere is marked failed and its rows dropped; the job's retry starts a new run.
 */
export async function runAnalytics(
  deps: AnalyticsDeps,
  request: AnalyticsRequest,
  retention: Retention,
  onProgress: (progress: RunProgress) => Promise<void> | void = () => {},
): Promise<RunResult> {
  const kinds = ANALYTICS_KINDS.filter((k) => request.kinds.includes(k))
  if (kinds.includes('clv') && !request.clv) throw new Error('a CLV run needs its settings (horizon, discount)')
  const [run] = await deps.pg.query<{ id: number }>(sql('postgres/queries/analytics/start-run'), [
    kinds,
    request.asOf,
    kinds.includes('profiles') ? request.profileWindowDays : null,
    kinds.includes('rfm') ? request.rfmWindowDays : null,
    request.clv && kinds.includes('clv') ? request.clv.horizonMonths : null,
    request.clv && kinds.includes('clv') ? request.clv.monthlyDiscount : null,
    request.jobId ?? null,
  ])
  const runId = run!.id
  const log = deps.logger.child({ run_id: runId, kinds })
  const stages: Stage[] = ['card-map', ...kinds, 'publish']
  const seconds: RunResult['seconds'] = {}
  const timed = async (stage: Stage, work: () => Promise<unknown>) => {
    await onProgress({ run_id: runId, stage, done: stages.indexOf(stage), stages: stages.length })
    const started = performance.now()
    await work()
    seconds[stage] = Math.round(performance.now() - started) / 1000
  }
  const asOf = clickhouseTime(request.asOf)
  try {
    let cards = 0
    await timed('card-map', async () => (cards = await copyCardMap(deps.pg, deps.ch, runId)))
    if (kinds.includes('profiles')) {
      await timed('profiles', () => command(deps.ch, 'member-profiles', { run_id: runId, as_of: asOf, window_days: request.profileWindowDays }))
    }
    if (kinds.includes('rfm')) {
      await timed('rfm', async () => {
        await command(deps.ch, 'rfm-scores', { run_id: runId, as_of: asOf, window_days: request.rfmWindowDays, segment_map: segmentMapParam() })
        await command(deps.ch, 'rfm-segment-sizes', { run_id: runId })
      })
    }
    let clv: ClvStageResult | undefined
    if (kinds.includes('clv')) await timed('clv', async () => (clv = await runClvStage(deps.ch, runId, asOf, request.clv!)))
    let result!: RunResult
    await timed('publish', async () => {
      const counts = await countRows(deps.ch, runId)
      result = { run_id: runId, cards, ...counts, ...(clv && { clv: { bgnbd: clv.bgnbd, gamma_gamma: clv.gamma_gamma } }), seconds }
      // The run's working tables; what readers read stays.
      for (const table of WORK_TABLES) await command(deps.ch, `drop-${table}`, { run_id: runId })
      await deps.pg.query(sql('postgres/queries/analytics/finish-run'), [runId, cards, counts.profiles, counts.scored, counts.valued, seconds, deps.clock()])
      await prune(deps, retention)
    })
    log.info(result, 'analytics run done')
    return result
  } catch (error) {
    log.warn({ err: error }, 'analytics run failed; dropping its rows')
    await deps.pg.query(sql('postgres/queries/analytics/fail-run'), [runId, String((error as Error).message ?? error).slice(0, 2000), deps.clock()]).catch(() => {})
    for (const table of RUN_TABLES) await command(deps.ch, `drop-${table}`, { run_id: runId }).catch(() => {})
    throw error
  }
}

/** Tables a run writes only to work with, dropped when it is published. */
const WORK_TABLES = ['card-members', 'clv-members', 'clv-histories'] as const
const RUN_TABLES = [...WORK_TABLES, 'member-profiles', 'rfm-scores', 'rfm-segment-sizes', 'clv-scores', 'clv-models'] as const
/** The tables retention drops, per kind. A run's CLV models (a few rows) are kept for good. */
const KIND_TABLES: Record<AnalyticsKind, readonly (typeof RUN_TABLES)[number][]> = {
  profiles: ['member-profiles'],
  rfm: ['rfm-scores', 'rfm-segment-sizes'],
  clv: ['clv-scores'],
}

/** Drops what retention no longer keeps: old profile runs, RFM snapshots past their days. */
async function prune(deps: AnalyticsDeps, retention: Retention): Promise<void> {
  const cutoff = new Date(deps.clock().getTime() - retention.rfmKeepDays * 86_400_000)
  const due = await deps.pg.query<{ id: number; kind: AnalyticsKind }>(sql('postgres/queries/analytics/runs-to-prune'), [retention.profileKeepRuns, cutoff])
  for (const { id, kind } of due) {
    for (const table of KIND_TABLES[kind]) await command(deps.ch, `drop-${table}`, { run_id: id })
    await deps.pg.query(sql('postgres/queries/analytics/mark-pruned'), [id, kind])
  }
}

async function command(ch: ClickHouse, name: string, params: Record<string, unknown>): Promise<void> {
  await ch.client.command({ query: sql(`clickhouse/queries/analytics/${name}`), query_params: params })
}

async function countRows(ch: ClickHouse, runId: number): Promise<{ profiles: number; scored: number; valued: number }> {
  const result = await ch.client.query({ query: sql('clickhouse/queries/analytics/count-run-rows'), query_params: { run_id: runId }, format: 'JSONEachRow' })
  const [row] = await result.json<{ profiles: string; scored: string; valued: string }>()
  return { profiles: Number(row!.profiles), scored: Number(row!.scored), valued: Number(row!.valued) }
}

/** DateTime64(3, 'UTC') parameter text (CLICKHOUSE.md trap 2): 'YYYY-MM-DD hh:mm:ss.sss'. */
export function clickhouseTime(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '')
}
