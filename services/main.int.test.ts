import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  freePort,
  metricValue,
  pollUntil,
  queryEmbeddedClickHouse,
  runNode,
  spawnNode,
  stopChild,
  withTimeout,
  type NodeChild,
} from '../test/helpers/child-process'
import { createTestPostgres, type TestPostgres } from '../test/helpers/databases'
import { makeSwipe } from '../test/helpers/factories'
import { runPrefix, TEST_PG_SERVER } from '../test/helpers/test-env'
import { journalLag } from './ingest/shipper'
import { parseKey } from './stores/api-keys'
import { createStoresRepo } from './stores/stores.repo'

/** `npm start` as operators run it: a real process, real signals, real JSON logs. */
const tempDirs: string[] = []

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-main-test-'))
  tempDirs.push(dir)
  return dir
}

/** The child's environment: this process's, with the engine, log level and mode pinned. */
function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLICKHOUSE_URL: '', // empty means unset: the embedded engine
    CLICKHOUSE_DATABASE: 'loyalty',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    AUTH_SECRET: 'a-test-secret-of-at-least-32-characters',
    // The real process runs no scheduled jobs here, so it leaves no schedules in the shared Redis.
    EXPIRE_POINTS_CRON: 'off',
    REVIEW_TIERS_CRON: 'off',
    ...overrides,
  }
}

/** stdout, one JSON object per line (pino). */
function logLines(stdout: string): { msg?: string; level?: number; [key: string]: unknown }[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as { msg?: string }
      } catch {
        throw new Error(`stdout line is not JSON: ${line}`)
      }
    })
}

const children: NodeChild[] = []
const databases: TestPostgres[] = []

/** Starts `services/main.ts` on a fresh database, data directory and port. */
async function startProcess(extraEnv: Record<string, string> = {}) {
  const db = await createTestPostgres()
  databases.push(db)
  const dataDir = tempDir()
  const port = await freePort()
  const run = spawnNode(
    ['services/main.ts'],
    childEnv({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: db.url, DATA_DIR: dataDir, ...extraEnv }),
  )
  children.push(run)
  return { db, dataDir, run, baseUrl: `http://127.0.0.1:${port}` }
}

/** Polls /readyz until 200; fails at once if the process exits. */
async function untilReady(run: NodeChild, baseUrl: string) {
  return pollUntil(
    '/readyz to answer 200',
    async () => {
      if (!run.alive()) throw new Error(`the process exited early:\n${run.stderr()}\n${run.stdout()}`)
      const res = await fetch(`${baseUrl}/readyz`)
      return res.status === 200 ? ((await res.json()) as { engine: string }) : undefined
    },
    60_000,
    200,
  )
}

async function postSwipe(baseUrl: string, key: string, swipe: ReturnType<typeof makeSwipe>) {
  const res = await fetch(`${baseUrl}/v1/swipes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(swipe),
  })
  expect(res.status).toBe(201)
}

async function newStore(db: TestPostgres) {
  const stores = createStoresRepo(db.pg)
  const store = await stores.createStore(`MAIN-${Date.now()}`, 'Process test store')
  return { storeId: store.id, key: (await stores.createKey(store.id)).token }
}

/** Swipes and lines of a store in the ClickHouse a stopped process left in `dataDir`. */
async function inClickHouse(dataDir: string, storeId: string) {
  const [counts] = await queryEmbeddedClickHouse(
    dataDir,
    'loyalty',
    `SELECT (SELECT count() FROM swipes WHERE store_id = '${storeId}') AS swipes,
            (SELECT count() FROM swipe_lines WHERE store_id = '${storeId}') AS lines`,
  )
  return counts
}

async function sigterm(run: NodeChild) {
  run.child.kill('SIGTERM')
  return withTimeout(run.exited, 20_000, () => new Error(`no exit 20 s after SIGTERM\n${run.stderr()}`))
}

afterAll(async () => {
  for (const run of children) await stopChild(run)
  for (const db of databases) await db.drop()
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true })
})

describe('the platform process', () => {
  let proc: Awaited<ReturnType<typeof startProcess>>
  let store: { storeId: string; key: string }
  const cards: string[] = []
  const post = async () => {
    const swipe = makeSwipe()
    cards.push(swipe.card_number)
    await postSwipe(proc.baseUrl, store.key, swipe)
  }

  beforeAll(async () => {
    proc = await startProcess()
  })

  test('migrates, listens and becomes ready', async () => {
    expect(await untilReady(proc.run, proc.baseUrl)).toMatchObject({ status: 'ready', engine: 'embedded' })
    expect(fs.existsSync(path.join(proc.dataDir, 'clickhouse'))).toBe(true)
  })

  test('accepts swipes and ships them to ClickHouse while running', async () => {
    store = await newStore(proc.db)
    for (let i = 0; i < 3; i++) await post()

    const metrics = await pollUntil(
      'the shipper to ship the 3 swipes',
      async () => {
        const text = await (await fetch(`${proc.baseUrl}/metrics`)).text()
        const shipped = metricValue(text, 'journal_shipped_rows_total') ?? 0
        return shipped >= 3 && metricValue(text, 'journal_lag_rows') === 0 ? text : undefined
      },
      30_000,
      200,
    )
    expect(metricValue(metrics, 'journal_shipped_rows_total')).toBe(3)
    expect(metricValue(metrics, 'swipes_total', { outcome: 'accepted' })).toBe(3)
    expect((await journalLag(proc.db.pg)).rows).toBe(0)
  })

  test('on SIGTERM it exits 0 with JSON logs, and leaves every swipe in ClickHouse', async () => {
    await post()
    await post()
    expect(await sigterm(proc.run)).toEqual({ code: 0, signal: null })

    const stdout = proc.run.stdout()
    const lines = logLines(stdout)
    const messages = lines.map((l) => l.msg)
    expect(messages).toEqual(expect.arrayContaining(['databases migrated', 'loyalty platform listening', 'shutting down', 'stopped']))
    expect(lines.find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM' })
    expect(messages.indexOf('stopped')).toBeGreaterThan(messages.indexOf('shutting down'))
    expect(lines.filter((l) => l.msg === 'shutdown step failed')).toEqual([])
    // One request line per swipe, and neither the key nor a card number in any log line.
    expect(lines.filter((l) => (l.req as { url?: string } | undefined)?.url === '/v1/swipes')).toHaveLength(5)
    expect(stdout).not.toContain(store.key)
    expect(stdout).not.toContain(parseKey(store.key)!.secret)
    for (const card of cards) expect(stdout + proc.run.stderr()).not.toContain(card)

    expect((await journalLag(proc.db.pg)).rows).toBe(0)
    await expect(fetch(`${proc.baseUrl}/healthz`)).rejects.toThrow()
    expect(await inClickHouse(proc.dataDir, store.storeId)).toEqual({ swipes: '5', lines: '10' })
  })
})

test('SIGTERM flushes swipes the shipper had not sent yet before exiting', async () => {
  // The shipper pauses a minute between passes: only the shutdown flush can ship these.
  const proc = await startProcess({ SHIP_IDLE_MS: '60000' })
  await untilReady(proc.run, proc.baseUrl)
  // Let the shipper's first pass (on an empty journal) finish; then it sleeps for the minute.
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const store = await newStore(proc.db)
  for (let i = 0; i < 3; i++) await postSwipe(proc.baseUrl, store.key, makeSwipe())
  expect((await journalLag(proc.db.pg)).rows).toBe(3)

  expect(await sigterm(proc.run)).toEqual({ code: 0, signal: null })
  expect(logLines(proc.run.stdout()).map((l) => l.msg)).toContain('stopped')
  expect((await journalLag(proc.db.pg)).rows).toBe(0)
  expect(await inClickHouse(proc.dataDir, store.storeId)).toEqual({ swipes: '3', lines: '6' })
})

test('with an invalid environment it exits non-zero at once, naming every bad variable', async () => {
  // Were the environment accepted, it would only reach a test database the run's teardown drops.
  const env = { PORT: 'notaport', CLOCK_SKEW_SECONDS: '-5', HOST: '127.0.0.1', DATA_DIR: tempDir() }
  const result = await runNode(
    ['services/main.ts'],
    childEnv({ ...env, DATABASE_URL: `${TEST_PG_SERVER}/${runPrefix()}_invalid_env` }),
    30_000,
  )
  expect(result.code).not.toBe(0)
  expect(result.code).not.toBeNull()
  expect(result.stderr).toContain('PORT')
  expect(result.stderr).toContain('CLOCK_SKEW_SECONDS')
  expect(result.stdout).not.toContain('listening')
})
