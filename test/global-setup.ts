import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Pool } from 'pg'
import { createPostgres } from '../services/platform/postgres'
import { migrate, postgresTarget, readMigrations, SQL_DIR } from '../services/platform/migrator'
import { assertTestDatabase, ownerPid, templateDb, TEST_PG_SERVER } from './helpers/test-env'

/**
 * Migrates a template database once per run; each test file clones it (immich's pattern).
 * Databases left by earlier runs whose jest process is gone are dropped first.
 */
export default async function globalSetup(): Promise<void> {
  process.env.LOYALTY_TEST_RUN = `p${process.pid}`
  const admin = new Pool({ connectionString: `${TEST_PG_SERVER}/postgres`, max: 1 })
  try {
    const old = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'loyalty\\_test\\_%'")
    for (const { datname } of old.rows) {
      const pid = ownerPid(datname)
      if (pid !== undefined && pid !== process.pid && isAlive(pid)) continue
      assertTestDatabase(datname)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
    }
    await admin.query(`CREATE DATABASE "${templateDb()}"`)
  } finally {
    await admin.end()
  }
  removeDeadClickHouseDirs()
  const pg = createPostgres(`${TEST_PG_SERVER}/${templateDb()}`, { max: 2 })
  try {
    await migrate(postgresTarget(pg), readMigrations(`${SQL_DIR}/postgres/migrations`))
  } finally {
    await pg.close()
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Embedded ClickHouse directories of jest workers that are gone (named w<worker>-<pid>). */
function removeDeadClickHouseDirs(): void {
  const root = path.join(os.tmpdir(), 'loyalty-test-clickhouse')
  if (!fs.existsSync(root)) return
  for (const dir of fs.readdirSync(root)) {
    const pid = Number(/-(\d+)$/.exec(dir)?.[1])
    if (pid && !isAlive(pid)) fs.rmSync(path.join(root, dir), { recursive: true, force: true })
  }
}
