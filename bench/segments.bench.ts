/**
 * `npm run bench:segments`: a full recompute of profiles and RFM (runAnalytics, embedded
 * ClickHouse) over generated data, and the same RFM in Postgres as the baseline.
 *
 * 1. Fresh databases: a Postgres database `loyalty_bench_segments` (dropped and re-created,
 *    migrated) and a temporary ClickHouse data directory.
 * 2. Generated in-engine (not part of the headline, printed): --members members with a card
 *    each in Postgres (one INSERT … SELECT generate_series), --swipes swipes and their lines in
 *    ClickHouse (INSERT … SELECT FROM numbers(), deterministic in the row number; see
 *    bench/sql/segments/generate-baskets.sql for the shape of the data), plus one re-sent batch
 *    of duplicates so FINAL has work to do.
 * 3. runAnalytics with profiles and RFM, --runs times: wall time per stage and in all.
 * 4. The baseline: the same swipes (the columns RFM needs, read with FINAL) streamed from
 *    ClickHouse into a Postgres table (TabSeparated into COPY), then the equivalent RFM SQL
 *    (bench/sql/segments/rfm-postgres.sql) --runs times, and Postgres time / ClickHouse RFM
 *    stage time. Both engines must give the same scores: segment sizes, r/f/m distributions,
 *    sums and a checksum of every member's scores are compared, and the bench fails if any
 *    differs.
 * Targets (the issue): the full recompute under 30 s; at least 20 times faster than Postgres.
 * Options: --members 1000000 --swipes 10000000 --runs 2 --as-of 2026-11-01T00:00:00Z
 *          --work-mem 256MB (the baseline session's work_mem) --keep (keep both databases)
 * Quick check: --members 20000 --swipes 200000
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { from as copyFrom } from 'pg-copy-streams'
import { runAnalytics, clickhouseTime, type RunResult } from '../services/analytics/run-analytics'
import { segmentMapParam } from '../services/analytics/segments'
import { createClickHouse, type ClickHouse } from '../services/platform/clickhouse'
import { createLogger } from '../services/platform/logger'
import { migrateAll } from '../services/platform/migrator'
import { createPostgres, ensureDatabase, type Postgres } from '../services/platform/postgres'

const { values: opts } = parseArgs({
  options: {
    members: { type: 'string', default: process.env.BENCH_MEMBERS ?? '1000000' },
    swipes: { type: 'string', default: process.env.BENCH_SWIPES ?? '10000000' },
    runs: { type: 'string', default: '2' },
    'as-of': { type: 'string', default: '2026-11-01T00:00:00Z' },
    'work-mem': { type: 'string', default: '256MB' },
    keep: { type: 'boolean', default: false },
  },
})
const MEMBERS = Number(opts.members)
const SWIPES = Number(opts.swipes)
const RUNS = Math.max(1, Number(opts.runs))
const AS_OF = new Date(opts['as-of'])
const WINDOW_DAYS = 365
const DAYS = 400 // the days the swipes are spread over, before as_of's day
const STORES = 200
const SKUS = 20_000
const RESENT = Math.min(SWIPES, Math.max(1, Math.floor(SWIPES / 1000))) // a re-sent batch: 0.1 %
const DB_NAME = 'loyalty_bench_segments'
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
const TARGET_RECOMPUTE_S = 30
const TARGET_RATIO = 20

if (![MEMBERS, SWIPES].every((n) => Number.isInteger(n) && n >= 100)) throw new Error('--members and --swipes: whole numbers ≥ 100')
if (!/^\d+(kB|MB|GB)$/.test(opts['work-mem'])) throw new Error('--work-mem: e.g. 256MB')

const benchSql = (name: string) => fs.readFileSync(path.join(__dirname, 'sql/segments', `${name}.sql`), 'utf8')
const seconds = (since: number) => (performance.now() - since) / 1000
const fmt = (n: number, digits = 2) => n.toFixed(digits)
const thousands = (n: number) => n.toLocaleString('en-US')
let rssPeakPhase = ''
let rssPeakBytes = 0
/** Peak resident memory of this process (Node and the embedded engine), noted per phase. */
function notePeak(phase: string): void {
  const peak = process.resourceUsage().maxRSS * 1024
  if (peak > rssPeakBytes) [rssPeakBytes, rssPeakPhase] = [peak, phase]
}
const gib = (bytes: number) => `${fmt(bytes / 2 ** 30)} GiB`

async function freshPostgres(): Promise<{ pg: Postgres; url: string }> {
  const admin = createPostgres(ADMIN_URL, { max: 1 })
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
  await admin.close()
  const url = `postgres://postgres@127.0.0.1:5432/${DB_NAME}`
  await ensureDatabase(url)
  return { pg: createPostgres(url, { max: 4 }), url }
}

async function dropPostgres(): Promise<void> {
  const admin = createPostgres(ADMIN_URL, { max: 1 })
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
  await admin.close()
}

async function chCommand(ch: ClickHouse, query: string, params: Record<string, unknown> = {}): Promise<void> {
  await ch.client.command({ query, query_params: params })
}

async function chRows<T>(ch: ClickHouse, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

interface Generation {
  membersSeconds: number
  basketsSeconds: number
  tablesSeconds: number
  swipes: number
  lines: number
  resent: number
}

/** Members and cards in Postgres, swipes and lines in ClickHouse (docs at the top). */
async function generate(pg: Postgres, ch: ClickHouse): Promise<Generation> {
  let started = performance.now()
  await pg.query(benchSql('generate-members'), [MEMBERS])
  await pg.query('ANALYZE members; ANALYZE cards')
  const membersSeconds = seconds(started)
  console.log(`generated ${thousands(MEMBERS)} members and cards in Postgres: ${fmt(membersSeconds, 1)} s`)

  started = performance.now()
  await chCommand(ch, benchSql('create-baskets'))
  await chCommand(ch, benchSql('generate-baskets'), {
    swipes: SWIPES, members: MEMBERS, stores: STORES, skus: SKUS, days: DAYS, as_of: clickhouseTime(AS_OF),
  })
  const basketsSeconds = seconds(started)
  notePeak('generation')

  started = performance.now()
  await chCommand(ch, benchSql('insert-swipes'), { from: 0, to: SWIPES })
  await chCommand(ch, benchSql('insert-swipe-lines'), { from: 0, to: SWIPES })
  // The shipper re-sending a batch after a crash: the same rows again, in parts of their own.
  await chCommand(ch, benchSql('insert-swipes'), { from: 0, to: RESENT })
  await chCommand(ch, benchSql('insert-swipe-lines'), { from: 0, to: RESENT })
  await chCommand(ch, 'DROP TABLE bench_baskets')
  const tablesSeconds = seconds(started)
  notePeak('generation')
  const [counts] = await chRows<{ swipes: string; lines: string }>(ch, 'SELECT (SELECT count() FROM swipes) AS swipes, (SELECT count() FROM swipe_lines) AS lines')
  const generation = { membersSeconds, basketsSeconds, tablesSeconds, swipes: Number(counts!.swipes), lines: Number(counts!.lines), resent: RESENT }
  console.log(
    `generated ${thousands(generation.swipes)} swipe rows and ${thousands(generation.lines)} line rows in ClickHouse ` +
      `(${thousands(RESENT)} swipes re-sent as duplicates): baskets ${fmt(basketsSeconds, 1)} s, tables ${fmt(tablesSeconds, 1)} s`,
  )
  const shape = await chRows<Record<string, string>>(ch, benchSql('data-shape'), { as_of: clickhouseTime(AS_OF), window_days: WINDOW_DAYS })
  console.log(`data in the RFM window: ${Object.entries(shape[0]!).map(([k, v]) => `${k} ${v}`).join(', ')}`)
  return generation
}

type Recompute = RunResult & { total: number }

async function recompute(pg: Postgres, ch: ClickHouse, run: number): Promise<Recompute> {
  const logger = createLogger({ LOG_LEVEL: 'warn', NODE_ENV: 'production' })
  const started = performance.now()
  const result = await runAnalytics(
    { pg, ch, logger, clock: () => new Date() },
    { kinds: ['profiles', 'rfm'], asOf: AS_OF, profileWindowDays: WINDOW_DAYS, rfmWindowDays: WINDOW_DAYS },
    { profileKeepRuns: RUNS + 1, rfmKeepDays: 730 },
  )
  const total = seconds(started)
  notePeak('recompute')
  const stages = Object.entries(result.seconds).map(([stage, s]) => `${stage} ${fmt(s)} s`).join(', ')
  console.log(
    `recompute ${run}: ${fmt(total)} s (${stages}); ${thousands(result.cards)} cards, ` +
      `${thousands(result.profiles)} profiles, ${thousands(result.scored)} scored`,
  )
  return { ...result, total }
}

/** The RFM columns of the swipes, month by month, from ClickHouse (FINAL) into Postgres's COPY. */
async function copySwipesToPostgres(pg: Postgres, ch: ClickHouse): Promise<{ seconds: number; rows: number }> {
  const started = performance.now()
  await pg.query(benchSql('create-postgres-tables'))
  const months = await chRows<{ month: number }>(ch, benchSql('swipe-months'))
  const session = await pg.pool.connect()
  let rows = 0
  try {
    for (const { month } of months) {
      const { stream } = await ch.client.exec({ query: benchSql('export-rfm-swipes'), query_params: { month } })
      const copy = session.query(copyFrom(benchSql('copy-swipes')))
      await pipeline(stream, copy)
      rows += copy.rowCount
      notePeak('baseline copy')
    }
  } finally {
    session.release()
  }
  await pg.query('VACUUM (ANALYZE) bench_swipes')
  return { seconds: seconds(started), rows }
}

/** The baseline RFM (scores, then segment sizes) in one Postgres session; its seconds. */
async function postgresRfm(pg: Postgres): Promise<number> {
  const session = await pg.pool.connect()
  try {
    await session.query("SET TIME ZONE 'UTC'")
    await session.query(`SET work_mem = '${opts['work-mem']}'`)
    await session.query('TRUNCATE bench_rfm_scores, bench_rfm_segment_sizes')
    const started = performance.now()
    await session.query(benchSql('rfm-postgres'), [AS_OF, WINDOW_DAYS, segmentMapParam()])
    await session.query(benchSql('rfm-segment-sizes-postgres'))
    return seconds(started)
  } finally {
    session.release()
  }
}

type Distribution = Map<string, string>
const key = (r: { measure: string; value: string }) => `${r.measure} ${r.value}`
/** Decimal text without trailing zeros, so '12.50' (Postgres) equals '12.5' (ClickHouse). */
const normalize = (text: string) => text.replace(/(\.\d*?)0+\b/g, '$1').replace(/\.(?=\s|$)/g, '')

async function compareScores(pg: Postgres, ch: ClickHouse, runId: number): Promise<{ same: boolean; rows: string[] }> {
  type Row = { measure: string; value: string; members: string }
  const fromPg: Distribution = new Map((await pg.query<Row>(benchSql('rfm-distribution-postgres'))).map((r) => [key(r), normalize(r.members)]))
  const fromCh: Distribution = new Map((await chRows<Row>(ch, benchSql('rfm-distribution-clickhouse'), { run_id: runId })).map((r) => [key(r), normalize(r.members)]))
  const keys = [...new Set([...fromPg.keys(), ...fromCh.keys()])].sort()
  const differing = keys.filter((k) => fromPg.get(k) !== fromCh.get(k))
  const rows = keys
    .filter((k) => !k.startsWith('cell ') || differing.includes(k))
    .map((k) => `  ${k.padEnd(42)} ${String(fromCh.get(k) ?? '-').padStart(30)} ${String(fromPg.get(k) ?? '-').padStart(30)}${differing.includes(k) ? '   DIFFERENT' : ''}`)
  return { same: differing.length === 0, rows }
}

async function main(): Promise<void> {
  const chdbVersion = (JSON.parse(fs.readFileSync(require.resolve('chdb/package.json'), 'utf8')) as { version: string }).version
  console.log(
    `segments benchmark: ${thousands(MEMBERS)} members, ${thousands(SWIPES)} swipes over ${DAYS} days, ` +
      `RFM and profile windows ${WINDOW_DAYS} days as of ${AS_OF.toISOString()}; ` +
      `${os.cpus().length} cores, ${gib(os.totalmem())}, Node ${process.version}, chdb ${chdbVersion} (embedded ClickHouse)`,
  )
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-segments-'))
  const { pg } = await freshPostgres()
  const ch = await createClickHouse({ CLICKHOUSE_URL: undefined, CLICKHOUSE_DATABASE: 'bench', DATA_DIR: dataDir })
  let failed = false
  try {
    await migrateAll(pg, ch)
    const generation = await generate(pg, ch)

    const runs: Recompute[] = []
    for (let i = 1; i <= RUNS; i++) runs.push(await recompute(pg, ch, i))

    const copy = await copySwipesToPostgres(pg, ch)
    console.log(`baseline: ${thousands(copy.rows)} swipes copied from ClickHouse into Postgres (COPY) in ${fmt(copy.seconds, 1)} s, then VACUUM ANALYZE`)
    const pgRuns: number[] = []
    for (let i = 1; i <= RUNS; i++) {
      pgRuns.push(await postgresRfm(pg))
      console.log(`baseline RFM in Postgres ${i} (work_mem ${opts['work-mem']}): ${fmt(pgRuns.at(-1)!)} s`)
    }
    notePeak('baseline')

    const last = runs.at(-1)!
    const check = await compareScores(pg, ch, last.run_id)
    console.log(`scores of ClickHouse run ${last.run_id} and of Postgres (measure value: ClickHouse, Postgres):`)
    console.log(check.rows.join('\n'))
    if (!check.same) failed = true

    const best = (xs: number[]) => Math.min(...xs)
    const chRecompute = best(runs.map((r) => r.total))
    const chRfm = best(runs.map((r) => r.seconds.rfm ?? NaN))
    const chRfmWithMap = best(runs.map((r) => (r.seconds.rfm ?? NaN) + (r.seconds['card-map'] ?? NaN)))
    const pgRfm = best(pgRuns)
    const ratio = pgRfm / chRfm
    const met = (ok: boolean) => (ok ? 'met' : 'NOT MET')
    const row = (label: string, ...cells: string[]) => `  ${label.padEnd(44)}${cells.map((c) => c.padStart(12)).join('')}`
    const stage = (s: keyof RunResult['seconds']) => row(`  ${s}`, ...runs.map((r) => `${fmt(r.seconds[s] ?? NaN)} s`))
    const lines = [
      '',
      `figures (${thousands(MEMBERS)} members, ${thousands(generation.swipes)} swipe rows, ${thousands(generation.lines)} line rows; best of ${RUNS} for ratios):`,
      row('', ...runs.map((_, i) => `run ${i + 1}`)),
      row('ClickHouse full recompute (runAnalytics)', ...runs.map((r) => `${fmt(r.total)} s`)),
      stage('card-map'),
      stage('profiles'),
      stage('rfm'),
      stage('publish'),
      row('Postgres RFM (baseline, same swipes)', ...pgRuns.map((s) => `${fmt(s)} s`)),
      row('Postgres RFM / ClickHouse RFM stage', `${fmt(ratio, 1)}×`),
      row('Postgres RFM / ClickHouse card map + RFM', `${fmt(pgRfm / chRfmWithMap, 1)}×`),
      row('members scored (both engines)', thousands(last.scored)),
      row('scores identical in both engines', check.same ? 'yes' : 'NO'),
      row('generation (not timed above)', `${fmt(generation.membersSeconds + generation.basketsSeconds + generation.tablesSeconds, 1)} s`),
      row('baseline copy ClickHouse → Postgres', `${fmt(copy.seconds, 1)} s`),
      row('process RSS peak (Node + chDB)', gib(rssPeakBytes)),
      row(`  reached during`, rssPeakPhase),
      'targets:',
      `  full recompute under ${TARGET_RECOMPUTE_S} s: ${fmt(chRecompute)} s, ${met(chRecompute < TARGET_RECOMPUTE_S)}`,
      `  RFM at least ${TARGET_RATIO}× faster than Postgres: ${fmt(ratio, 1)}×, ${met(ratio >= TARGET_RATIO)}`,
      `  identical segment counts and r/f/m distributions: ${check.same ? 'yes' : 'NO'}`,
    ]
    console.log(lines.join('\n'))
    fs.mkdirSync('bench/results', { recursive: true })
    const results = {
      at: new Date().toISOString(), members: MEMBERS, swipes: SWIPES, generation, runs, postgresRfmSeconds: pgRuns,
      ratio, copySeconds: copy.seconds, scoresIdentical: check.same, rssPeakBytes, rssPeakPhase,
    }
    fs.writeFileSync(`bench/results/segments-${Date.now()}.json`, JSON.stringify(results, null, 2))
    if (!check.same) console.error('FAILED: the two engines scored the members differently (rows marked DIFFERENT above)')
  } finally {
    await ch.close()
    await pg.close()
    if (opts.keep) {
      console.log(`kept: Postgres database ${DB_NAME}, ClickHouse data directory ${dataDir} (database bench)`)
    } else {
      await dropPostgres()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
  if (failed) process.exitCode = 1
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
