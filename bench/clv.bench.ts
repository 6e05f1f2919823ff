/**
 * `npm run bench:clv`: the CLV part of an analytics run (docs/clv.md) over a million generated
 * members, with the wall time of every step, and how close the fits come to the parameters the
 * data was drawn from.
 *
 * 1. Fresh databases: Postgres `loyalty_bench_clv` (dropped and re-created, migrated) and a
 *    temporary ClickHouse data directory (embedded chDB).
 * 2. Generated in-engine (not part of the timing): --members anonymous members with a card each
 *    in Postgres (INSERT … SELECT generate_series, bench/sql/clv/generate-members.sql), and their
 *    purchases in ClickHouse's swipes (INSERT … SELECT FROM numbers(),
 *    bench/sql/clv/generate-swipes.sql): purchase rates, dropout and spend drawn from BG/NBD and
 *    Gamma-Gamma with the known parameters TRUTH below, first purchases spread over --days days.
 * 3. The run's CLV path, timed step by step: the card map (copyCardMap), then runClvStage — the
 *    ClickHouse summary (clv-members.sql), reading the grouped (x, t_x, T) rows, the BG/NBD fit,
 *    reading the (x, m) sample, the Gamma-Gamma fit, scoring the distinct histories, writing
 *    them (clv_histories), clv-scores.sql, the models row. These are the functions runAnalytics
 *    calls; its run bookkeeping in Postgres (start, publish) is left out.
 * Target: under 60 s in all. Prints met / not met, distinct histories and the peak RSS.
 * Options: --members 1000000 --days 730 --as-of 2026-10-31T23:59:59.999Z --keep
 * Quick check: --members 20000
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { copyCardMap } from '../services/analytics/card-map'
import { runClvStage, type ClvStep } from '../services/analytics/clv-stage'
import { clickhouseTime } from '../services/analytics/run-analytics'
import type { BgNbdParams } from '../services/clv/bgnbd'
import type { GammaGammaParams } from '../services/clv/gamma-gamma'
import { createClickHouse, type ClickHouse } from '../services/platform/clickhouse'
import { migrateAll } from '../services/platform/migrator'
import { createPostgres, ensureDatabase, type Postgres } from '../services/platform/postgres'
import { scoringMicroBench } from './lib/clv-scoring'

const { values: opts } = parseArgs({
  options: {
    members: { type: 'string', default: process.env.BENCH_MEMBERS ?? '1000000' },
    days: { type: 'string', default: '730' },
    'as-of': { type: 'string', default: '2026-10-31T23:59:59.999Z' },
    keep: { type: 'boolean', default: false },
  },
})
const MEMBERS = Number(opts.members)
const DAYS = Number(opts.days)
const AS_OF = new Date(opts['as-of'])
const DB_NAME = 'loyalty_bench_clv'
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
const TARGET_S = 60
const RUN_ID = 1
/** The settings the platform runs with by default (config.ts). */
const SETTINGS = { horizonMonths: 12, monthlyDiscount: 0.01, gammaGammaFitMembers: 500_000 }
/** The parameters the purchases are drawn from (weeks): a grocery-like crowd, ~9 visits a member. */
const TRUTH = { bgnbd: { r: 1.2, alpha: 3, a: 0.7, b: 5 } satisfies BgNbdParams, gammaGamma: { p: 6, q: 4, gamma: 15 } satisfies GammaGammaParams }

if (!Number.isInteger(MEMBERS) || MEMBERS < 100) throw new Error('--members: a whole number ≥ 100')
if (!Number.isInteger(DAYS) || DAYS < 7) throw new Error('--days: a whole number ≥ 7')
if (!Number.isInteger(TRUTH.gammaGamma.p)) throw new Error('the true Gamma-Gamma p must be a whole number (generate-swipes.sql sums p exponential draws)')

const benchSql = (name: string) => fs.readFileSync(path.join(__dirname, 'sql/clv', `${name}.sql`), 'utf8')
const seconds = (since: number) => (performance.now() - since) / 1000
const fmt = (n: number, digits = 2) => n.toFixed(digits)
const thousands = (n: number) => n.toLocaleString('en-US')
const gib = (bytes: number) => `${fmt(bytes / 2 ** 30)} GiB`
const peakRss = () => process.resourceUsage().maxRSS * 1024

async function dropPostgres(): Promise<void> {
  const admin = createPostgres(ADMIN_URL, { max: 1 })
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
  await admin.close()
}

async function freshPostgres(): Promise<Postgres> {
  await dropPostgres()
  const url = `postgres://postgres@127.0.0.1:5432/${DB_NAME}`
  await ensureDatabase(url)
  return createPostgres(url, { max: 4 })
}

async function chRows<T>(ch: ClickHouse, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

async function generate(pg: Postgres, ch: ClickHouse): Promise<{ seconds: number; swipes: number }> {
  const started = performance.now()
  await pg.query(benchSql('generate-members'), [MEMBERS])
  await pg.query('ANALYZE members; ANALYZE cards')
  console.log(`generated ${thousands(MEMBERS)} members and cards in Postgres: ${fmt(seconds(started), 1)} s`)
  const t = performance.now()
  const { bgnbd: b, gammaGamma: g } = TRUTH
  await ch.client.command({
    query: benchSql('generate-swipes'),
    query_params: {
      members: MEMBERS, days: DAYS, as_of: clickhouseTime(AS_OF),
      two_r: 2 * b.r, alpha: b.alpha, two_a: 2 * b.a, two_b: 2 * b.b, two_q: 2 * g.q, gamma: g.gamma, p_gg: g.p,
    },
  })
  await ch.client.command({ query: 'OPTIMIZE TABLE swipes FINAL' })
  const [counts] = await chRows<{ swipes: string; cards: string; days: string }>(
    ch,
    'SELECT count() AS swipes, uniqExact(card_number) AS cards, uniqExact(card_number, toDate(occurred_at)) AS days FROM swipes',
  )
  console.log(
    `generated ${thousands(Number(counts!.swipes))} swipes of ${thousands(Number(counts!.cards))} cards ` +
      `(${thousands(Number(counts!.days))} purchase days) in ClickHouse: ${fmt(seconds(t), 1)} s`,
  )
  return { seconds: seconds(started), swipes: Number(counts!.swipes) }
}

const STEPS: [ClvStep, string][] = [
  ['summary', 'ClickHouse summary (clv-members.sql)'],
  ['read_histories', 'read grouped (x, t_x, T) rows'],
  ['bgnbd_fit', 'BG/NBD fit'],
  ['read_spends', 'read (x, m) sample'],
  ['gamma_gamma_fit', 'Gamma-Gamma fit'],
  ['score', 'score distinct histories'],
  ['write_histories', 'write clv_histories'],
  ['scores', 'clv-scores.sql (every member)'],
  ['models', 'clv_models row'],
]

async function main(): Promise<void> {
  const chdbVersion = (JSON.parse(fs.readFileSync(require.resolve('chdb/package.json'), 'utf8')) as { version: string }).version
  console.log(
    `clv benchmark: ${thousands(MEMBERS)} members, first purchases over ${DAYS} days before ${AS_OF.toISOString()}; ` +
      `${os.cpus().length} cores, ${gib(os.totalmem())}, Node ${process.version}, chdb ${chdbVersion} (embedded ClickHouse)`,
  )
  console.log(`scoring micro-benchmark (bench/lib/clv-scoring.ts): ${scoringMicroBench()}`)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-clv-'))
  const pg = await freshPostgres()
  const ch = await createClickHouse({ CLICKHOUSE_URL: undefined, CLICKHOUSE_DATABASE: 'bench', DATA_DIR: dataDir })
  try {
    await migrateAll(pg, ch)
    const generation = await generate(pg, ch)
    const rssBefore = peakRss()

    const started = performance.now()
    const cards = await copyCardMap(pg, ch, RUN_ID)
    const cardMapSeconds = seconds(started)
    const clv = await runClvStage(ch, RUN_ID, clickhouseTime(AS_OF), SETTINGS)
    const total = seconds(started)
    const rss = peakRss()

    const row = (label: string, value: string, extra = '') => `  ${label.padEnd(40)}${value.padStart(12)}${extra ? `   ${extra}` : ''}`
    const b = clv.bgnbd!
    const g = clv.gamma_gamma!
    const closeness = (fit: Record<string, number>, truth: Record<string, number>) =>
      Object.keys(truth).map((k) => `${k} ${fmt(fit[k]!, 3)} (true ${truth[k]}, ${fmt(((fit[k]! - truth[k]!) / truth[k]!) * 100, 1)} %)`).join(', ')
    const lines = [
      '',
      `figures (${thousands(MEMBERS)} members, ${thousands(generation.swipes)} swipes; generation ${fmt(generation.seconds, 1)} s, not timed below):`,
      row('card map (Postgres → ClickHouse)', `${fmt(cardMapSeconds)} s`, `${thousands(cards)} cards`),
      ...STEPS.map(([step, label]) => row(label, `${fmt(clv.seconds[step] ?? NaN)} s`)),
      row('total', `${fmt(total)} s`),
      row('members valued', thousands(clv.valued)),
      row('distinct histories (x, t_x, T)', thousands(clv.histories)),
      row('Gamma-Gamma sample (x > 0, m > 0)', thousands(g.members)),
      row('BG/NBD iterations, converged', `${b.iterations}, ${b.converged}`),
      row('Gamma-Gamma iterations, converged', `${g.iterations}, ${g.converged}`),
      row('process RSS peak (Node + chDB)', gib(rss), `${gib(rssBefore)} after generation`),
      `  BG/NBD fit vs truth: ${closeness(b.params as unknown as Record<string, number>, TRUTH.bgnbd)}`,
      `  Gamma-Gamma fit vs truth: ${closeness(g.params as unknown as Record<string, number>, TRUTH.gammaGamma)}`,
      `target: fit and score ${thousands(MEMBERS)} members under ${TARGET_S} s: ${fmt(total)} s, ${total < TARGET_S ? 'met' : 'NOT MET'}`,
    ]
    console.log(lines.join('\n'))
    fs.mkdirSync('bench/results', { recursive: true })
    fs.writeFileSync(
      `bench/results/clv-${Date.now()}.json`,
      JSON.stringify({ at: new Date().toISOString(), members: MEMBERS, days: DAYS, truth: TRUTH, generation, cardMapSeconds, total, rssPeakBytes: rss, clv }, null, 2),
    )
  } finally {
    await ch.close()
    await pg.close()
    if (opts.keep) console.log(`kept: Postgres database ${DB_NAME}, ClickHouse data directory ${dataDir} (database bench)`)
    else {
      await dropPostgres()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
