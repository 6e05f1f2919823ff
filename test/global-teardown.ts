import { Pool } from 'pg'
import { assertTestDatabase, runPrefix, TEST_PG_SERVER } from './helpers/test-env'

/** Drops this run's template and any database a test file left behind. */
export default async function globalTeardown(): Promise<void> {
  const admin = new Pool({ connectionString: `${TEST_PG_SERVER}/postgres`, max: 1 })
  try {
    const mine = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${runPrefix()}_`])
    for (const { datname } of mine.rows) {
      assertTestDatabase(datname)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
    }
  } finally {
    await admin.end()
  }
}
