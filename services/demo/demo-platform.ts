import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { openQueues } from '../../workers/queues'
import { queuePrefix } from '../../workers/registry'

/**
 * The demo's own databases and the platform process on them: `npm start` as users run it
 * (services/main.ts in a child process, embedded ClickHouse), pointed at a demo database and
 * data directory so a user's real data is never touched.
 */

export interface DemoTarget {
  databaseUrl: string
  /** The Postgres and ClickHouse database name (the same). */
  database: string
  dataDir: string
  redisUrl: string
}

/** Whether the demo database already holds anything (stores) or the data directory has files. */
async function inUse(target: DemoTarget): Promise<string | undefined> {
  if (fs.existsSync(target.dataDir) && fs.readdirSync(target.dataDir).some((f) => f !== 'platform.log')) return `${target.dataDir} is not empty`
  const admin = new URL(target.databaseUrl)
  admin.pathname = '/postgres'
  const server = new pg.Client({ connectionString: admin.toString() })
  await server.connect()
  try {
    const found = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [target.database])
    if (!found.rowCount) return undefined
  } finally {
    await server.end()
  }
  const db = new pg.Client({ connectionString: target.databaseUrl })
  await db.connect()
  try {
    const stores = await db.query("SELECT to_regclass('stores') IS NOT NULL AND EXISTS (SELECT 1 FROM stores) AS used").catch(() => ({ rows: [{ used: false }] }))
    return stores.rows[0]?.used ? `the Postgres database ${target.database} holds stores` : undefined
  } finally {
    await db.end()
  }
}

/**
 * Refuses a demo database already in use unless `reset`; with it, drops the Postgres database,
 * the data directory and the demo's job queues in Redis.
 */
export async function prepareDemoTarget(target: DemoTarget, reset: boolean): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(target.database)) throw new Error(`--database must be a plain identifier: ${target.database}`)
  const used = await inUse(target)
  if (!used) return
  if (!reset) throw new Error(`${used}: a demo runs on an empty database. Add --reset to wipe the demo database "${target.database}" and ${target.dataDir}, or choose another --database / --data-dir.`)
  if (path.resolve(target.dataDir) === path.resolve('.data') || path.resolve(target.dataDir) === process.cwd()) {
    throw new Error(`--reset will not delete ${target.dataDir}: give the demo a directory of its own`)
  }
  const admin = new URL(target.databaseUrl)
  admin.pathname = '/postgres'
  const server = new pg.Client({ connectionString: admin.toString() })
  await server.connect()
  try {
    // The name was checked against a strict pattern; identifiers cannot be bound.
    await server.query(`DROP DATABASE IF EXISTS "${target.database}" WITH (FORCE)`)
  } finally {
    await server.end()
  }
  fs.rmSync(target.dataDir, { recursive: true, force: true })
  const jobs = openQueues({ connection: { url: target.redisUrl, maxRetriesPerRequest: null }, prefix: queuePrefix({}, target.databaseUrl) })
  for (const queue of Object.values(jobs.queues)) await queue.obliterate({ force: true })
  await jobs.close()
}

export interface DemoPlatform {
  baseUrl: string
  logFile: string
  child: ChildProcess
  /** SIGTERM, and waits for the exit (the platform flushes its journal first). */
  stop(): Promise<void>
}

/** services/main.ts on the demo's databases; its logs go to `<dataDir>/platform.log`. */
export async function startDemoPlatform(target: DemoTarget, port: number): Promise<DemoPlatform> {
  fs.mkdirSync(target.dataDir, { recursive: true })
  const logFile = path.join(target.dataDir, 'platform.log')
  const log = fs.openSync(logFile, 'a')
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'main.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: target.databaseUrl,
      CLICKHOUSE_DATABASE: target.database,
      DATA_DIR: target.dataDir,
      AUTH_SECRET: process.env.AUTH_SECRET ?? crypto.randomBytes(32).toString('hex'),
      QUEUE_PREFIX: queuePrefix({}, target.databaseUrl),
    },
    stdio: ['ignore', log, log],
  })
  fs.closeSync(log)
  const baseUrl = `http://127.0.0.1:${port}`
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const platform: DemoPlatform = {
    baseUrl,
    logFile,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`the platform exited (${child.exitCode}); see ${logFile}`)
    if (await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false)) return platform
    await new Promise((r) => setTimeout(r, 100))
  }
  await platform.stop()
  throw new Error(`the platform did not become ready in 120 s; see ${logFile}`)
}
