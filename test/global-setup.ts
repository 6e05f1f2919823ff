import { Pool } from 'pg'
import { createPostgres } from '../services/platform/postgres'
import { migrate, postgresTarget, readMigrations, SQL_DIR } from '../services/platform/migrator'
import { assertTestDatabase, TEMPLATE_DB, TEST_PG_SERVER } from './helpers/test-env'

/**
 * Migrates a template database once per run; each test file clones it (immich's pattern).
 * Databases left by earlier runs are dropped first.
 */
export default async function globalSetup(): Promise<void> {
  const admin = new Pool({ connectionString: `${TEST_PG_SERVER}/postgres`, max: 1 })
  try {
    const old = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'loyalty\\_test\\_%'")
    for (const { datname } of old.rows) {
      assertTestDatabase(datname)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
    }
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`)
  } finally {
    await admin.end()
  }
  const pg = createPostgres(`${TEST_PG_SERVER}/${TEMPLATE_DB}`, { max: 2 })
  try {
    await migrate(postgresTarget(pg), readMigrations(`${SQL_DIR}/postgres/migrations`))
  } finally {
    await pg.close()
  }
}
