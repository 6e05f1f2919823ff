import { loadConfig } from './config'
import { openConnections } from './connections'
import { migrateAll } from './migrator'

/** `npm run migrate`: applies pending Postgres and ClickHouse migrations, then exits. */
async function main(): Promise<void> {
  const conn = await openConnections(loadConfig())
  try {
    const applied = await migrateAll(conn.pg, conn.ch)
    console.log(`postgres: applied ${JSON.stringify(applied.postgres)}; clickhouse: applied ${JSON.stringify(applied.clickhouse)}`)
  } finally {
    await conn.close()
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
