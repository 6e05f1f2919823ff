/**
 * `npm run bench:members`: what points cost ingest, and how fast members read their balance,
 * against the platform running as its own process (embedded ClickHouse).
 *
 * 1. The same swipes (one NDJSON stream, then single swipes at a fixed concurrency) into two
 *    fresh platforms: POINTS_SCORING=off (swipes, cards and members only: the baseline) and
 *    on; swipes/s of each and the ratio, until answered and until queryable in ClickHouse.
 * 2. On the scoring platform, its card holders sign in (tokens signed as the platform signs
 *    them) and read GET /v1/me/balance at steady rates (--rates, paced-load.ts), then as fast
 *    as they can (autocannon): requests/s, p50/p99 latency. The baseline, in the same run and
 *    under the same paced load: a bare Express app answering `{ ok: true }` in a process of
 *    its own, the least any route of ours can cost here. The load generator shares the machine.
 * Options: --swipes 100000 --cards 20000 --single-seconds 8 --connections 16
 *          --rates 500,1000,2000 --balance-seconds 10 --balance-connections 32
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { createTokenSigner } from '../services/platform/auth/tokens'
import { createPostgres, ensureDatabase } from '../services/platform/postgres'
import { createStoresRepo } from '../services/stores/stores.repo'
import { baskets, ndjsonBody } from './lib/baskets'
import { pacedLoad } from './lib/paced-load'
import { BENCH_AUTH_SECRET, startPlatform, type PlatformProcess } from './lib/platform-process'
import { spawn } from 'node:child_process'

const { values: opts } = parseArgs({
  options: {
    swipes: { type: 'string', default: '100000' },
    cards: { type: 'string', default: '20000' },
    'single-seconds': { type: 'string', default: '8' },
    connections: { type: 'string', default: '16' },
    rates: { type: 'string', default: '500,1000,2000' },
    'balance-seconds': { type: 'string', default: '10' },
    'balance-connections': { type: 'string', default: '32' },
  },
})
const SWIPES = Number(opts.swipes)
const CARDS = Number(opts.cards)
const YEAR = new Date().getUTCFullYear() - 1

interface IngestFigures {
  bulkAnswered: number
  bulkQueryable: number
  singleRps: number
  singleP99: number
}

async function freshDatabase(name: string): Promise<string> {
  const admin = createPostgres('postgres://postgres@127.0.0.1:5432/postgres', { max: 1 })
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.close()
  const url = `postgres://postgres@127.0.0.1:5432/${name}`
  await ensureDatabase(url)
  return url
}

async function storeKey(url: string): Promise<string> {
  const pg = createPostgres(url, { max: 1 })
  try {
    const stores = createStoresRepo(pg)
    const store = await stores.createStore(`bench-${crypto.randomBytes(3).toString('hex')}`, 'Bench store')
    return (await stores.createKey(store.id)).token
  } finally {
    await pg.close()
  }
}

/** One NDJSON stream of the seeded swipes: swipes/s until answered and until in ClickHouse. */
async function bulk(platform: PlatformProcess, key: string): Promise<{ answered: number; queryable: number }> {
  const body = ndjsonBody(baskets('bulk', SWIPES, 21, { cards: CARDS, year: YEAR }))
  const started = performance.now()
  const report = await platform.postBulk(key, body)
  if (report.accepted !== SWIPES) throw new Error(`bulk accepted ${report.accepted} of ${SWIPES}: ${JSON.stringify(report).slice(0, 300)}`)
  const answered = performance.now()
  await platform.untilShipped()
  const done = performance.now()
  return { answered: SWIPES / ((answered - started) / 1000), queryable: SWIPES / ((done - started) / 1000) }
}

async function single(platform: PlatformProcess, key: string): Promise<{ rps: number; p99: number }> {
  const bodies = baskets('single', 10_000_000, 23, { cards: CARDS, year: YEAR })
  const result = await autocannon({
    url: `${platform.base}/v1/swipes`,
    connections: Number(opts.connections),
    duration: Number(opts['single-seconds']),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        setupRequest: (req) => ({ ...req, body: bodies.next().value as string }),
      },
    ],
  })
  if (result.non2xx > 0) throw new Error(`single swipes: ${result.non2xx} answers were not 2xx`)
  return { rps: result.requests.average, p99: result.latency.p99 }
}

async function ingest(scoring: 'on' | 'off'): Promise<{ figures: IngestFigures; platform: PlatformProcess; url: string }> {
  const url = await freshDatabase(`loyalty_bench_points_${scoring}`)
  const platform = await startPlatform({
    databaseUrl: url,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), `bench-members-${scoring}-`)),
    env: { POINTS_SCORING: scoring },
  })
  const key = await storeKey(url)
  const b = await bulk(platform, key)
  const s = await single(platform, key)
  await platform.untilShipped()
  const figures = { bulkAnswered: b.answered, bulkQueryable: b.queryable, singleRps: s.rps, singleP99: s.p99 }
  console.log(
    `scoring ${scoring.padEnd(3)}: bulk ${SWIPES} swipes over ${CARDS} cards: ${b.answered.toFixed(0)} swipes/s answered, ` +
      `${b.queryable.toFixed(0)} swipes/s queryable; single swipes (${opts.connections} connections): ${s.rps.toFixed(0)} req/s, p99 ${s.p99} ms`,
  )
  return { figures, platform, url }
}

/**
 * The card holders of the scoring run, made registered members so they may sign in. Then the
 * databases settle (VACUUM ANALYZE, a pause for ClickHouse's merges of the fresh parts), so
 * the look-ups measure the route, not the clean-up after 100,000 inserts.
 */
async function memberTokens(url: string): Promise<string[]> {
  const pg = createPostgres(url, { max: 1 })
  try {
    const rows = await pg.query<{ id: string }>("UPDATE members SET status = 'active', registered_at = now() WHERE status = 'anonymous' RETURNING id")
    await pg.query('VACUUM (ANALYZE)')
    await new Promise((resolve) => setTimeout(resolve, 15_000))
    const signer = createTokenSigner(BENCH_AUTH_SECRET)
    return rows.map((r) => signer.issue({ sub: r.id, kind: 'member' }, 3600).token)
  } finally {
    await pg.close()
  }
}

/** Balance look-ups as fast as they go (closed loop, autocannon). */
async function balancesFlat(platform: PlatformProcess, tokens: string[]) {
  let i = 0
  const result = await autocannon({
    url: `${platform.base}/v1/me/balance`,
    connections: Number(opts['balance-connections']),
    duration: Number(opts['balance-seconds']),
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[i++ % tokens.length]}` } }) }],
  })
  if (result.non2xx > 0) throw new Error(`balance look-ups: ${result.non2xx} answers were not 2xx`)
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors }
}

/** A bare Express app in a process of its own: the baseline for latency at a given rate. */
async function bareExpress(): Promise<{ url: string; stop: () => void }> {
  const port = 19_000 + Math.floor(Math.random() * 1000)
  const code = `const app = require('express')(); app.get('/x', (q, s) => s.json({ ok: true })); app.listen(${port}, '127.0.0.1', () => console.log('up'))`
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise((resolve) => child.stdout!.once('data', resolve))
  return { url: `http://127.0.0.1:${port}/x`, stop: () => child.kill() }
}

async function main(): Promise<void> {
  console.log(`members benchmark: ${os.cpus().length} cores, Node ${process.version}, embedded ClickHouse`)
  const off = await ingest('off')
  await off.platform.stop()
  const on = await ingest('on')
  try {
    const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}%`
    console.log(
      `scoring on as a share of off: bulk answered ${ratio(on.figures.bulkAnswered, off.figures.bulkAnswered)}, ` +
        `bulk queryable ${ratio(on.figures.bulkQueryable, off.figures.bulkQueryable)}, single ${ratio(on.figures.singleRps, off.figures.singleRps)} ` +
        `(target: scoring costs under 30%, i.e. on ≥ 70% of off)`,
    )
    const tokens = await memberTokens(on.url)
    const rated = []
    const bare = await bareExpress()
    const seconds = Number(opts['balance-seconds'])
    const connections = Number(opts['balance-connections'])
    try {
      // Warm-up, not reported: the first requests compile and cache code paths.
      await pacedLoad({ url: `${on.platform.base}/v1/me/balance`, rate: 200, seconds: 3, connections, headers: (i) => ({ authorization: `Bearer ${tokens[i % tokens.length]}` }) })
      await pacedLoad({ url: bare.url, rate: 200, seconds: 3, connections })
      for (const rate of opts.rates.split(',').map(Number)) {
        const r = await pacedLoad({ url: `${on.platform.base}/v1/me/balance`, rate, seconds, connections, headers: (i) => ({ authorization: `Bearer ${tokens[i % tokens.length]}` }) })
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`balance look-ups at ${rate}/s: ${r.non2xx} non-2xx, ${r.errors} errors`)
        const base = await pacedLoad({ url: bare.url, rate, seconds, connections })
        rated.push({ balance: r, bareExpress: base })
        console.log(
          `balance look-ups at ${rate}/s (${tokens.length} members): ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms; ` +
            `bare Express at the same rate: p50 ${base.p50} ms, p99 ${base.p99} ms (target: p99 under 10 ms at 2,000/s)`,
        )
      }
    } finally {
      bare.stop()
    }
    const flat = await balancesFlat(on.platform, tokens)
    console.log(`balance look-ups, unthrottled (${connections} connections): ${flat.rps.toFixed(0)} req/s, p50 ${flat.p50} ms, p99 ${flat.p99} ms`)
    fs.mkdirSync('bench/results', { recursive: true })
    const results = { at: new Date().toISOString(), swipes: SWIPES, cards: CARDS, off: off.figures, on: on.figures, balanceAtRates: rated, balanceFlat: flat }
    fs.writeFileSync(`bench/results/members-${Date.now()}.json`, JSON.stringify(results, null, 2))
  } finally {
    await on.platform.stop()
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
