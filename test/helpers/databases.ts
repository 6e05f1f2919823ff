import crypto from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { Pool } from 'pg'
import { createClickHouse, type ClickHouse } from '../../services/platform/clickhouse'
import { clickhouseTarget, migrate, readMigrations, SQL_DIR } from '../../services/platform/migrator'
import { createPostgres, type Postgres } from '../../services/platform/postgres'
import { assertTestDatabase, runPrefix, templateDb, TEST_PG_SERVER } from './test-env'

export interface TestPostgres {
  pg: Postgres
  url: string
  name: string
  drop(): Promise<void>
}

/** A fresh, migrated Postgres database for one test file, cloned from the template. */
export async function createTestPostgres(): Promise<TestPostgres> {
  const name = `${runPrefix()}_${crypto.randomBytes(6).toString('hex')}`
  assertTestDatabase(name)
  const admin = new Pool({ connectionString: `${TEST_PG_SERVER}/postgres`, max: 1 })
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDb()}"`)
  } finally {
    await admin.end()
  }
  const url = `${TEST_PG_SERVER}/${name}`
  const pg = createPostgres(url)
  return {
    pg,
    url,
    name,
    async drop() {
      await pg.close()
      const admin = new Pool({ connectionString: `${TEST_PG_SERVER}/postgres`, max: 1 })
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await admin.end()
      }
    },
  }
}

/**
 * The embedded ClickHouse directory of this jest worker process (CLICKHOUSE.md trap 4: one
 * directory per process), and a database of the test file's own inside it, migrated.
 */
export function workerClickHouseDir(): string {
  return path.join(os.tmpdir(), 'loyalty-test-clickhouse', `w${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}`)
}

export async function createTestClickHouse(): Promise<ClickHouse> {
  const ch = await createClickHouse({
    CLICKHOUSE_URL: undefined,
    CLICKHOUSE_DATABASE: `t_${crypto.randomBytes(6).toString('hex')}`,
    DATA_DIR: workerClickHouseDir(),
  })
  await migrate(clickhouseTarget(ch), readMigrations(`${SQL_DIR}/clickhouse/migrations`))
  return ch
}

/**
 * For a test file working on both databases: a fresh Postgres database and a ClickHouse database
 * of its own, opened before its tests and dropped after them. Read the fields inside tests
 * (beforeAll sets them).
 */
export function useTestDatabases(): { db: TestPostgres; ch: ClickHouse } {
  const opened = {} as { db: TestPostgres; ch: ClickHouse }
  beforeAll(async () => {
    opened.db = await createTestPostgres()
    opened.ch = await createTestClickHouse()
  })
  afterAll(async () => {
    await opened.ch?.close()
    await opened.db?.drop()
  })
  return opened
}

/** Rows of a ClickHouse query, as JSON objects. */
export async function chRows<T = Record<string, unknown>>(ch: ClickHouse, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await ch.client.query({ query, format: 'JSONEachRow', query_params: params })
  return result.json<T>()
}
