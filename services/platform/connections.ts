import { createClickHouse, type ClickHouse } from './clickhouse'
import type { Config } from './config'
import { createPostgres, ensureDatabase, type Postgres } from './postgres'
import { createRedis, type Redis } from './redis'

export interface Connections {
  pg: Postgres
  redis: Redis
  ch: ClickHouse
  close(): Promise<void>
}

/** Opens Postgres (creating the database if missing), Redis and ClickHouse. */
export async function openConnections(
  config: Pick<Config, 'DATABASE_URL' | 'REDIS_URL' | 'CLICKHOUSE_URL' | 'CLICKHOUSE_DATABASE' | 'DATA_DIR'>,
): Promise<Connections> {
  await ensureDatabase(config.DATABASE_URL)
  const pg = createPostgres(config.DATABASE_URL)
  const redis = createRedis(config.REDIS_URL)
  const ch = await createClickHouse(config)
  return {
    pg,
    redis,
    ch,
    async close() {
      await Promise.allSettled([pg.close(), redis.quit(), ch.close()])
    },
  }
}
