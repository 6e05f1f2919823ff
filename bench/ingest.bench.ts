/**
 * `npm run bench:ingest`: swipe ingest throughput, end to end, against the platform running as
 * its own process (`services/main.ts`, embedded ClickHouse), with the load from this process.
 *
 * 1. single swipes: autocannon, fixed concurrency, requests/s and p50/p99 latency;
 * 2. batches of 1,000 and 3. one NDJSON bulk stream: swipes/s until every row is queryable in
 *    ClickHouse (the journal lag is back to 0);
 * 4. the limit: the same rows inserted straight into a fresh embedded ClickHouse, and our bulk
 *    throughput as a ratio of it.
 * Options: --single-seconds 10 --connections 16,64 --batch-swipes 50000 --bulk-swipes 200000
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { clickhouseRows, LINE_COLUMNS, SWIPE_COLUMNS } from '../services/ingest/clickhouse-rows'
import { checkSwipe, type NormalizedSwipe } from '../services/ingest/swipe-rules'
import { createClickHouse, insertTsv } from '../services/platform/clickhouse'
import { clickhouseTarget, migrate, readMigrations, SQL_DIR } from '../services/platform/migrator'
import { createPostgres, ensureDatabase } from '../services/platform/postgres'
import { createStoresRepo } from '../services/stores/stores.repo'
import { baskets, ndjsonBody } from './lib/baskets'
import { startPlatform, type PlatformProcess } from './lib/platform-process'

const { values: opts } = parseArgs({
  options: {
    'single-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '16,64' },
    'batch-swipes': { type: 'string', default: '50000' },
    'bulk-swipes': { type: 'string', default: '200000' },
  },
})
const SINGLE_SECONDS = Number(opts['single-seconds'])
const CONNECTION_LEVELS = opts.connections.split(',').map(Number)
const BATCH_SWIPES = Number(opts['batch-swipes'])
const BULK_SWIPES = Number(opts['bulk-swipes'])
const BENCH_DB = 'postgres://postgres@127.0.0.1:5432/loyalty_bench'

let server: PlatformProcess
const BASE = () => server.base
const untilShipped = () => server.untilShipped()
const serverMemory = () => server.memory()

async function single(key: string, connections: number): Promise<{ connections: number; rps: number; p50: number; p99: number; non2xx: number }> {
  const bodies = baskets(`single-c${connections}`, 2_000_000, 7 + connections)
  const result = await autocannon({
    url: `${BASE()}/v1/swipes`,
    connections,
    duration: SINGLE_SECONDS,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        setupRequest: (req) => ({ ...req, body: bodies.next().value as string }),
      },
    ],
  })
  return { connections, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx }
}

async function batches(key: string): Promise<{ swipesPerSecond: number; ingestOnlyPerSecond: number }> {
  const all = [...baskets('batch', BATCH_SWIPES, 11)]
  const chunks: string[] = []
  for (let i = 0; i < all.length; i += 1000) chunks.push(`[${all.slice(i, i + 1000).join(',')}]`)
  const started = performance.now()
  let next = 0
  const worker = async () => {
    while (next < chunks.length) {
      const body = chunks[next++]!
      const res = await fetch(`${BASE()}/v1/swipes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body })
      if (res.status !== 200) throw new Error(`batch answered ${res.status}`)
      await res.arrayBuffer()
    }
  }
  await Promise.all([worker(), worker()])
  const answered = performance.now()
  await untilShipped()
  const done = performance.now()
  return { swipesPerSecond: all.length / ((done - started) / 1000), ingestOnlyPerSecond: all.length / ((answered - started) / 1000) }
}

async function bulk(key: string) {
  const start = await serverMemory()
  const peak = { ...start }
  const sampler = setInterval(
    () =>
      void serverMemory().then(
        (m) => {
          peak.rss = Math.max(peak.rss, m.rss)
          peak.heap = Math.max(peak.heap, m.heap)
        },
        () => {},
      ),
    500,
  )
  const body = ndjsonBody(baskets('bulk', BULK_SWIPES, 13))
  const started = performance.now()
  const report = await server.postBulk(key, body)
  const answered = performance.now()
  await untilShipped()
  const done = performance.now()
  clearInterval(sampler)
  if (report.rejected > 0) throw new Error(`bulk rejected ${report.rejected} lines`)
  return {
    swipesPerSecond: BULK_SWIPES / ((done - started) / 1000),
    ingestOnlyPerSecond: BULK_SWIPES / ((answered - started) / 1000),
    rssStartMb: start.rss / 2 ** 20,
    rssPeakMb: peak.rss / 2 ** 20,
    heapStartMb: start.heap / 2 ** 20,
    heapPeakMb: peak.heap / 2 ** 20,
    accepted: report.accepted,
  }
}

/** The same bulk rows, as the shipper would send them, straight into a fresh embedded engine. */
async function engineLimit(): Promise<number> {
  const now = new Date()
  const normalized: NormalizedSwipe[] = []
  for (const line of baskets('bulk', BULK_SWIPES, 13)) {
    const check = checkSwipe(JSON.parse(line), { now, skewSeconds: 300 })
    if (check.ok) normalized.push(check.swipe)
  }
  const batchesOfRows: { swipes: string; lines: string }[] = []
  for (let i = 0; i < normalized.length; i += 50_000) {
    const rows = normalized.slice(i, i + 50_000).map((s, j) => ({ seq: i + j + 1, ...clickhouseRows('sto_bench', s, now) }))
    batchesOfRows.push({ swipes: rows.map((r) => `${r.seq}\t${r.swipe}`).join('\n'), lines: rows.map((r) => r.lines).join('\n') })
  }
  const ch = await createClickHouse({ CLICKHOUSE_URL: undefined, CLICKHOUSE_DATABASE: 'limit', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-limit-')) })
  await migrate(clickhouseTarget(ch), readMigrations(`${SQL_DIR}/clickhouse/migrations`))
  const started = performance.now()
  for (const [i, b] of batchesOfRows.entries()) {
    await insertTsv(ch.client, 'swipe_lines', LINE_COLUMNS, b.lines, { insert_deduplication_token: `limit-${i}-l`, max_partitions_per_insert_block: 0 })
    await insertTsv(ch.client, 'swipes', SWIPE_COLUMNS, b.swipes, { insert_deduplication_token: `limit-${i}-s`, max_partitions_per_insert_block: 0 })
  }
  const seconds = (performance.now() - started) / 1000
  await ch.close()
  return normalized.length / seconds
}

async function main(): Promise<void> {
  const admin = createPostgres('postgres://postgres@127.0.0.1:5432/postgres', { max: 1 })
  await admin.query('DROP DATABASE IF EXISTS loyalty_bench WITH (FORCE)')
  await admin.close()
  await ensureDatabase(BENCH_DB)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'))
  server = await startPlatform({ databaseUrl: BENCH_DB, dataDir })
  const pg = createPostgres(BENCH_DB, { max: 2 })
  const stores = createStoresRepo(pg)
  const store = await stores.createStore(`bench-${crypto.randomBytes(3).toString('hex')}`, 'Bench store')
  const { token } = await stores.createKey(store.id)
  try {
    console.log(`ingest benchmark: ${os.cpus().length} cores, Node ${process.version}, embedded ClickHouse`)
    const s = []
    for (const connections of CONNECTION_LEVELS) {
      const r = await single(token, connections)
      s.push(r)
      await untilShipped()
      console.log(`single swipes, ${connections} connections, ${SINGLE_SECONDS} s: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}`)
    }
    const b = await batches(token)
    console.log(`batches of 1000 (${BATCH_SWIPES} swipes, 2 at a time): ${b.swipesPerSecond.toFixed(0)} swipes/s until queryable in ClickHouse (${b.ingestOnlyPerSecond.toFixed(0)} swipes/s until answered)`)
    const k = await bulk(token)
    console.log(`bulk NDJSON (${BULK_SWIPES} swipes, one stream): ${k.swipesPerSecond.toFixed(0)} swipes/s until queryable in ClickHouse (${k.ingestOnlyPerSecond.toFixed(0)} swipes/s until answered); server RSS ${k.rssStartMb.toFixed(0)} MB at start, ${k.rssPeakMb.toFixed(0)} MB peak; V8 heap used ${k.heapStartMb.toFixed(0)} MB at start, ${k.heapPeakMb.toFixed(0)} MB peak`)
    await server.stop()
    const limit = await engineLimit()
    console.log(`engine limit: the same ${BULK_SWIPES} swipes (and their lines) inserted straight into embedded ClickHouse: ${limit.toFixed(0)} swipes/s`)
    console.log(`bulk end to end as a ratio of the engine limit: ${((k.swipesPerSecond / limit) * 100).toFixed(1)}%`)
    const results = { at: new Date().toISOString(), single: s, batch: b, bulk: k, engineLimit: limit, ratio: k.swipesPerSecond / limit }
    fs.mkdirSync('bench/results', { recursive: true })
    fs.writeFileSync(`bench/results/ingest-${Date.now()}.json`, JSON.stringify(results, null, 2))
  } finally {
    await server.stop()
    await pg.close()
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
