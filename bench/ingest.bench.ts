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
import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { withLuhnCheckDigit } from '../services/ingest/card-number'
import { clickhouseRows, LINE_COLUMNS, SWIPE_COLUMNS } from '../services/ingest/clickhouse-rows'
import { checkSwipe, type NormalizedSwipe } from '../services/ingest/swipe-rules'
import { createClickHouse, insertTsv } from '../services/platform/clickhouse'
import { clickhouseTarget, migrate, readMigrations, SQL_DIR } from '../services/platform/migrator'
import { createPostgres, ensureDatabase } from '../services/platform/postgres'
import { createStoresRepo } from '../services/stores/stores.repo'

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
const PORT = 18_000 + Math.floor(Math.random() * 1000)
const BASE = `http://127.0.0.1:${PORT}`

const CATEGORIES = ['Dairy', 'Bakery', 'Produce', 'Meat', 'Frozen', 'Drinks', 'Household', 'Baby', 'Snacks', 'Deli']

/** A basket like the real data's: 1–3 lines, 2017 dates, ~2,400 cards. Seeded, so runs compare. */
function* baskets(prefix: string, count: number, seed: number): Generator<string> {
  let state = seed
  const rand = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
  for (let i = 0; i < count; i++) {
    const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
      const cents = 50 + Math.floor(rand() * 900)
      return { sku: `SKU-${Math.floor(rand() * 5000)}`, category: CATEGORIES[Math.floor(rand() * 10)]!, quantity: String(1 + Math.floor(rand() * 3)), unit_price: (cents / 100).toFixed(2) }
    })
    const total = lines.reduce((sum, l) => sum + Number(l.quantity) * Math.round(Number(l.unit_price) * 100), 0)
    yield JSON.stringify({
      txn_id: `${prefix}-${i}`,
      terminal_id: `till-${1 + Math.floor(rand() * 8)}`,
      card_number: withLuhnCheckDigit(`9${String(Math.floor(rand() * 2400)).padStart(11, '0')}`),
      occurred_at: new Date(Date.UTC(2017, 0, 1) + Math.floor(rand() * 364 * 86_400_000)).toISOString(),
      currency: 'USD',
      kind: 'sale',
      lines,
      total: (total / 100).toFixed(2),
    })
  }
}

async function journalLag(): Promise<number> {
  const text = await (await fetch(`${BASE}/metrics`)).text()
  return Number(/^journal_lag_rows (\d+)/m.exec(text)?.[1] ?? NaN)
}

/** The server's resident memory and V8 heap in use, in bytes. */
async function serverMemory(): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${BASE}/metrics`)).text()
  const metric = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN)
  return { rss: metric('process_resident_memory_bytes'), heap: metric('nodejs_heap_size_used_bytes') }
}

async function untilShipped(): Promise<void> {
  while ((await journalLag()) > 0) await new Promise((r) => setTimeout(r, 100))
}

async function startServer(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', 'services/main.ts'], {
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: BENCH_DB, DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${BASE}/readyz`).then((r) => r.ok, () => false)
    if (ok) return child
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('the platform did not become ready')
}

async function single(key: string, connections: number): Promise<{ connections: number; rps: number; p50: number; p99: number; non2xx: number }> {
  const bodies = baskets(`single-c${connections}`, 2_000_000, 7 + connections)
  const result = await autocannon({
    url: `${BASE}/v1/swipes`,
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
      const res = await fetch(`${BASE}/v1/swipes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body })
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
  // Generated before the clock starts, so the load generator does not compete with the server.
  const encoder = new TextEncoder()
  const chunks: Uint8Array[] = []
  let pending: string[] = []
  for (const line of baskets('bulk', BULK_SWIPES, 13)) {
    pending.push(line)
    if (pending.length === 500) {
      chunks.push(encoder.encode(`${pending.join('\n')}\n`))
      pending = []
    }
  }
  if (pending.length > 0) chunks.push(encoder.encode(`${pending.join('\n')}\n`))
  let next = 0
  const body = new ReadableStream({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]!)
      else controller.close()
    },
  })
  const started = performance.now()
  const res = await fetch(`${BASE}/v1/swipes/bulk`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
    body,
    duplex: 'half',
  } as RequestInit)
  const report = (await res.json()) as { accepted: number; rejected: number }
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
  const server = await startServer(dataDir)
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
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
    const limit = await engineLimit()
    console.log(`engine limit: the same ${BULK_SWIPES} swipes (and their lines) inserted straight into embedded ClickHouse: ${limit.toFixed(0)} swipes/s`)
    console.log(`bulk end to end as a ratio of the engine limit: ${((k.swipesPerSecond / limit) * 100).toFixed(1)}%`)
    const results = { at: new Date().toISOString(), single: s, batch: b, bulk: k, engineLimit: limit, ratio: k.swipesPerSecond / limit }
    fs.mkdirSync('bench/results', { recursive: true })
    fs.writeFileSync(`bench/results/ingest-${Date.now()}.json`, JSON.stringify(results, null, 2))
  } finally {
    if (server.exitCode === null) server.kill('SIGTERM')
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
