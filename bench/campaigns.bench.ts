/**
 * `npm run bench:campaigns`: a campaign's preview and launch (docs/campaigns.md "Preview",
 * "Launch") over a million eligible members, and Postgres COPY alone as the baseline for issuing.
 *
 * 1. Fresh databases: Postgres `loyalty_bench_campaigns` (dropped and re-created, migrated) and a
 *    temporary ClickHouse data directory (embedded chDB).
 * 2. Generated in-engine (not timed): --members active members consenting to personalised
 *    offers in Postgres (generate_series, bench/sql/campaigns/generate-members.sql), a published
 *    profiles run, and one profile per member in ClickHouse (INSERT … SELECT FROM numbers(),
 *    generate-profiles.sql).
 * 3. A draft campaign: 10 % off the member's top category (max 5.00, basket at least 20.00),
 *    10 % holdout, valid for 30 days; empty audience (every profiled member).
 * 4. previewCampaign, timed.
 * 5. launchCampaign, the offers job's work, with the real assignAudience, timed per stage:
 *    assign, issue (coupons per second), events, launched.
 * 6. The baseline: the same number of coupon rows, generated before the clock starts, COPYed
 *    into a fresh table shaped as coupons (create-baseline.sql: same keys, index, checks and
 *    foreign keys) in chunks of the same size, each its own transaction; rows per second.
 *    The ratio: the issue stage's rate / the COPY rate.
 * 7. Redemption at the till (redemptionSection below): the platform started as its own process
 *    on this database (its own ClickHouse directory: embedded ClickHouse opens a directory from
 *    one process only), a store and its till key, then bench/lib/redemption-load.ts: single
 *    swipes each carrying a fresh coupon code against the same swipes without codes, for
 *    --redemption-seconds at --redemption-connections (as bench:ingest and bench:members).
 *    Redeemed coupons in the database must match the `applied` answers, swipe by swipe.
 * Targets (the issue): 1M coupons issued in under 60 s; issuing at ≥ 40 % of the COPY rate.
 * Options: --members 1000000 --chunk 20000 --redemption-seconds 10 --redemption-connections 16
 * --keep.  Quick check: BENCH_MEMBERS=50000.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { from as copyFrom } from 'pg-copy-streams'
import { clickhouseTime } from '../services/analytics/run-analytics'
import { assignAudience } from '../services/campaigns/assign'
import type { Offer } from '../services/campaigns/campaign.schemas'
import { getCampaign } from '../services/campaigns/campaigns.repo'
import { newCouponCodes } from '../services/campaigns/coupon-codes'
import { couponCopyText, couponTerms } from '../services/campaigns/coupon-rows'
import { launchCampaign, type LaunchResult } from '../services/campaigns/launch'
import { previewCampaign } from '../services/campaigns/preview'
import { createClickHouse, type ClickHouse } from '../services/platform/clickhouse'
import { createLogger } from '../services/platform/logger'
import { migrateAll } from '../services/platform/migrator'
import { createPostgres, ensureDatabase, type Postgres } from '../services/platform/postgres'
import { sql } from '../services/platform/sql-loader'
import { createStoresRepo } from '../services/stores/stores.repo'
import { startPlatform } from './lib/platform-process'
import { redemptionLoad, type RedemptionFigures } from './lib/redemption-load'

const { values: opts } = parseArgs({
  options: {
    members: { type: 'string', default: process.env.BENCH_MEMBERS ?? '1000000' },
    chunk: { type: 'string', default: process.env.COUPON_ISSUE_CHUNK ?? '20000' },
    'redemption-seconds': { type: 'string', default: '10' },
    'redemption-connections': { type: 'string', default: '16' },
    keep: { type: 'boolean', default: false },
  },
})
const MEMBERS = Number(opts.members)
const CHUNK = Number(opts.chunk)
const REDEMPTION_SECONDS = Number(opts['redemption-seconds'])
const REDEMPTION_CONNECTIONS = Number(opts['redemption-connections'])
const AS_OF = new Date()
const DB_NAME = 'loyalty_bench_campaigns'
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
const TARGET_SECONDS = 60
const TARGET_SHARE = 0.4
const OFFER: Offer = { kind: 'percent', value: '10.00', max_discount: '5.00', scope: { type: 'category' }, min_basket: '20.00' }

if (!Number.isInteger(MEMBERS) || MEMBERS < 100) throw new Error('--members: a whole number ≥ 100')
if (!Number.isInteger(CHUNK) || CHUNK < 100) throw new Error('--chunk: a whole number ≥ 100')

const benchSql = (name: string) => fs.readFileSync(path.join(__dirname, 'sql/campaigns', `${name}.sql`), 'utf8')
const seconds = (since: number) => (performance.now() - since) / 1000
const fmt = (n: number, digits = 2) => n.toFixed(digits)
const thousands = (n: number) => Math.round(n).toLocaleString('en-US')
const gib = (bytes: number) => `${fmt(bytes / 2 ** 30)} GiB`

async function dropPostgres(): Promise<void> {
  const admin = createPostgres(ADMIN_URL, { max: 1 })
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
  await admin.close()
}

/** Members and consents in Postgres, a published profiles run, its profiles in ClickHouse. */
async function generate(pg: Postgres, ch: ClickHouse): Promise<number> {
  const started = performance.now()
  await pg.query(benchSql('generate-members'), [MEMBERS])
  // As a live members table is: vacuumed (hint bits set, so the launch's foreign-key checks do
  // not dirty every members page first) and checkpointed (no flush of the generation under the timing).
  await pg.query('VACUUM (ANALYZE) members')
  await pg.query('VACUUM (ANALYZE) member_consents')
  const [run] = await pg.query<{ id: number }>(sql('postgres/queries/analytics/start-run'), [['profiles'], AS_OF, 365, null, null, null, null])
  await ch.client.command({ query: benchSql('generate-profiles'), query_params: { run_id: run!.id, members: MEMBERS, as_of: clickhouseTime(AS_OF) } })
  await pg.query(sql('postgres/queries/analytics/finish-run'), [run!.id, MEMBERS, MEMBERS, 0, 0, {}, new Date()])
  await pg.query('CHECKPOINT')
  const took = seconds(started)
  console.log(`generated ${thousands(MEMBERS)} consenting members (Postgres) and their profiles (ClickHouse, run ${run!.id}): ${fmt(took, 1)} s`)
  return took
}

async function makeCampaign(pg: Postgres): Promise<number> {
  const [row] = await pg.query<{ id: string }>(
    `INSERT INTO campaigns (name, audience, offer, personalisation, holdout_share, frequency_cap, valid_from, valid_until, created_by)
     VALUES ('bench: 10 % off your top category', '{}', $1, 'top_category', 0.1, 3, $2, $3, 'usr_bench') RETURNING id`,
    [JSON.stringify(OFFER), AS_OF, new Date(AS_OF.getTime() + 30 * 86_400_000)],
  )
  return Number(row!.id)
}

async function preview(pg: Postgres, ch: ClickHouse, campaignId: number): Promise<{ seconds: number; treated: number }> {
  const started = performance.now()
  const answer = await previewCampaign({ pg, ch, clock: () => new Date() }, await getCampaign(pg, campaignId), {})
  const took = seconds(started)
  const funnel = (answer as { funnel: Record<string, number> }).funnel
  console.log(`preview: ${fmt(took)} s; funnel ${Object.entries(funnel).map(([k, v]) => `${k} ${thousands(v)}`).join(', ')}`)
  return { seconds: took, treated: funnel.treated ?? NaN }
}

async function launch(pg: Postgres, ch: ClickHouse, campaignId: number): Promise<LaunchResult & { total: number }> {
  await pg.query("UPDATE campaigns SET state = 'launching' WHERE id = $1", [campaignId])
  const logger = createLogger({ LOG_LEVEL: 'warn', NODE_ENV: 'production' })
  const started = performance.now()
  const result = await launchCampaign({ pg, ch, logger, clock: () => new Date(), assign: assignAudience, chunkSize: CHUNK }, campaignId)
  const total = seconds(started)
  const stages = Object.entries(result.seconds).map(([stage, s]) => `${stage} ${fmt(s)} s`).join(', ')
  console.log(`launch: ${fmt(total)} s (${stages}); ${thousands(result.treated)} treated, ${thousands(result.holdout)} holdout, ${thousands(result.issued)} issued, ${thousands(result.events)} events`)
  return { ...result, total }
}

/** Postgres COPY alone: `rows` coupon rows (built before the clock starts) into a fresh coupons-shaped table. */
async function copyBaseline(pg: Postgres, campaignId: number, rows: number): Promise<{ seconds: number; rows: number }> {
  await pg.query(benchSql('create-baseline'))
  const terms = couponTerms(OFFER, 'top_category', AS_OF, new Date(AS_OF.getTime() + 30 * 86_400_000))
  const chunks: Buffer[] = []
  for (let from = 0; from < rows; from += CHUNK) {
    const n = Math.min(CHUNK, rows - from)
    const codes = newCouponCodes(n)
    const members = Array.from({ length: n }, (_, i) => ({ code: codes[i]!, memberId: `mem_${String(from + i).padStart(10, '0')}`, category: `cat-${(from + i) % 40}` }))
    chunks.push(Buffer.from(couponCopyText(campaignId, terms, members, new Date())))
  }
  const copySql = sql('postgres/queries/campaigns/copy-coupons').replace('COPY coupons', 'COPY bench_coupons')
  const session = await pg.pool.connect()
  const started = performance.now()
  let copied = 0
  try {
    for (const chunk of chunks) {
      await session.query('BEGIN')
      const copy = session.query(copyFrom(copySql))
      await pipeline(Readable.from([chunk]), copy)
      await session.query('COMMIT')
      copied += copy.rowCount
    }
  } finally {
    session.release()
  }
  return { seconds: seconds(started), rows: copied }
}

/**
 * Redemption at the till (docs/campaigns.md "Redemption at the till"), end to end: the platform
 * as its own process on this bench's Postgres database, swipes with coupon codes against the
 * same swipes without. The lines to print, and the figures for the results file.
 */
async function redemptionSection(pg: Postgres): Promise<{ lines: string[]; figures: RedemptionFigures }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-campaigns-platform-'))
  const platform = await startPlatform({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${DB_NAME}`, dataDir })
  try {
    const stores = createStoresRepo(pg)
    const store = await stores.createStore(`bench-${crypto.randomBytes(3).toString('hex')}`, 'Bench store')
    const { token } = await stores.createKey(store.id)
    const figures = await redemptionLoad({ base: platform.base, key: token, pg, seconds: REDEMPTION_SECONDS, connections: REDEMPTION_CONNECTIONS })
    const { baseline: b, coupons: c } = figures
    const row = (label: string, value: string) => `  ${label.padEnd(52)}${value.padStart(16)}`
    const lines = [
      `redemption (single swipes, ${REDEMPTION_CONNECTIONS} connections, ${REDEMPTION_SECONDS} s each):`,
      row('swipes with a coupon code, per second', thousands(c.rps)),
      row('  p50 / p99 latency', `${c.p50} / ${c.p99} ms`),
      row('baseline: the same swipes without codes, per second', thousands(b.rps)),
      row('  p50 / p99 latency', `${b.p50} / ${b.p99} ms`),
      row('with codes / without (per second)', `${fmt((c.rps / b.rps) * 100, 1)} %`),
      row('  p99 with codes / without', `${fmt(c.p99 / b.p99, 2)} ×`),
      row('non-2xx answers (codes / baseline)', `${c.non2xx} / ${b.non2xx}`),
      row('coupons redeemed (database)', thousands(figures.redeemed)),
      row('answers saying applied', thousands(c.applied.size)),
      row('  swipes cut off at the end (no answer); redeemed', `${c.unanswered.size}; ${figures.redeemedUnanswered}`),
      row('redeemed = applied, swipe by swipe', figures.mismatched === 0 ? 'yes' : `NO (${figures.mismatched})`),
    ]
    return { lines, figures }
  } finally {
    await platform.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const chdbVersion = (JSON.parse(fs.readFileSync(require.resolve('chdb/package.json'), 'utf8')) as { version: string }).version
  console.log(
    `campaigns benchmark: ${thousands(MEMBERS)} eligible members, chunks of ${thousands(CHUNK)}; ` +
      `${os.cpus().length} cores, ${gib(os.totalmem())}, Node ${process.version}, chdb ${chdbVersion} (embedded ClickHouse)`,
  )
  await dropPostgres()
  const url = `postgres://postgres@127.0.0.1:5432/${DB_NAME}`
  await ensureDatabase(url)
  const pg = createPostgres(url, { max: 4 })
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-campaigns-'))
  const ch = await createClickHouse({ CLICKHOUSE_URL: undefined, CLICKHOUSE_DATABASE: 'bench', DATA_DIR: dataDir })
  let failed = false
  try {
    await migrateAll(pg, ch)
    const generation = await generate(pg, ch)
    const campaignId = await makeCampaign(pg)
    const previewed = await preview(pg, ch, campaignId)
    const launched = await launch(pg, ch, campaignId)
    const [check] = await pg.query<{ coupons: string; members: string; codes: string }>(
      'SELECT count(*) AS coupons, count(DISTINCT member_id) AS members, count(DISTINCT code) AS codes FROM coupons WHERE campaign_id = $1',
      [campaignId],
    )
    const consistent =
      Number(check!.coupons) === launched.issued && Number(check!.members) === launched.issued && Number(check!.codes) === launched.issued &&
      launched.issued === launched.treated && launched.events === launched.issued && previewed.treated === launched.treated
    if (!consistent) failed = true
    const baseline = await copyBaseline(pg, campaignId, launched.issued)
    const issueSeconds = launched.seconds.issue ?? NaN
    const issueRate = launched.issued / issueSeconds
    const copyRate = baseline.rows / baseline.seconds
    const share = issueRate / copyRate
    const redemption = await redemptionSection(pg)
    const redemptionOk = redemption.figures.mismatched === 0 && redemption.figures.coupons.non2xx === 0 && redemption.figures.baseline.non2xx === 0
    if (!redemptionOk) failed = true
    const met = (ok: boolean) => (ok ? 'met' : 'NOT MET')
    const row = (label: string, value: string) => `  ${label.padEnd(52)}${value.padStart(16)}`
    const lines = [
      '',
      `figures (${thousands(MEMBERS)} eligible members, ${thousands(launched.treated)} treated, chunks of ${thousands(CHUNK)}):`,
      row('preview', `${fmt(previewed.seconds)} s`),
      row('launch, all stages', `${fmt(launched.total)} s`),
      ...Object.entries(launched.seconds).map(([stage, s]) => row(`  ${stage}`, `${fmt(s)} s`)),
      row('coupons issued per second (issue stage)', thousands(issueRate)),
      row('coupons per second, whole launch', thousands(launched.issued / launched.total)),
      row(`baseline: ${thousands(baseline.rows)} rows by COPY alone`, `${fmt(baseline.seconds)} s`),
      row('baseline rows per second', thousands(copyRate)),
      row('issue rate / COPY rate', `${fmt(share * 100, 1)} %`),
      row('coupons = treated = distinct members = codes = events', consistent ? 'yes' : 'NO'),
      row('generation (not timed above)', `${fmt(generation, 1)} s`),
      row('process RSS peak (Node + chDB)', gib(process.resourceUsage().maxRSS * 1024)),
      ...redemption.lines,
      'targets:',
      `  ${thousands(launched.issued)} coupons issued in under ${TARGET_SECONDS} s: issue ${fmt(issueSeconds)} s, whole launch ${fmt(launched.total)} s, ${met(launched.total < TARGET_SECONDS)}`,
      `  issuing at ≥ ${TARGET_SHARE * 100} % of the COPY rate: ${fmt(share * 100, 1)} %, ${met(share >= TARGET_SHARE)}`,
    ]
    console.log(lines.join('\n'))
    fs.mkdirSync('bench/results', { recursive: true })
    const { baseline: rb, coupons: rc, redeemed, mismatched, redeemedUnanswered } = redemption.figures
    const loadFigures = (f: typeof rb) => ({ rps: f.rps, p50: f.p50, p99: f.p99, non2xx: f.non2xx, applied: f.applied.size, unanswered: f.unanswered.size })
    const results = {
      at: new Date().toISOString(), members: MEMBERS, chunk: CHUNK, generation, preview: previewed, launch: launched, baseline, share, consistent,
      redemption: { seconds: REDEMPTION_SECONDS, connections: REDEMPTION_CONNECTIONS, baseline: loadFigures(rb), coupons: loadFigures(rc), redeemed, mismatched, redeemedUnanswered },
    }
    fs.writeFileSync(`bench/results/campaigns-${Date.now()}.json`, JSON.stringify(results, null, 2))
    if (!consistent) console.error('FAILED: coupons, members, codes, events and the preview disagree (see above)')
    if (redemption.figures.mismatched > 0)
      console.error(`FAILED: ${redemption.figures.mismatched} coupons redeemed without an applied answer, or applied without being redeemed`)
    if (!redemptionOk && redemption.figures.mismatched === 0) console.error('FAILED: redemption swipes answered other than 2xx (see above)')
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
