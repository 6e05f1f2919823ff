import { createShipper } from '../services/ingest/shipper'
import { loadConfig } from '../services/platform/config'
import { openConnections } from '../services/platform/connections'
import { createLogger } from '../services/platform/logger'
import { migrateAll } from '../services/platform/migrator'
import { onShutdown } from '../services/platform/shutdown'
import { queuePrefix } from './registry'
import { startJobs } from './start-jobs'

/**
 * `npm run start:worker`: the background work without the API, for deployments on a
 * ClickHouse server (docker-compose.yml): the journal shipper and the BullMQ jobs (registry.ts).
 */
async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config)
  if (!config.CLICKHOUSE_URL) logger.warn('embedded ClickHouse: run this only when no API process holds DATA_DIR')
  const conn = await openConnections(config)
  await migrateAll(conn.pg, conn.ch)
  const shipper = createShipper({ pg: conn.pg, ch: conn.ch, logger, batchRows: config.SHIP_BATCH_ROWS, idleMs: config.SHIP_IDLE_MS })
  shipper.start()
  // The jobs (points expiry and tiers, analytics): BullMQ workers and their schedules.
  const jobsConfig = { ...config, QUEUE_PREFIX: queuePrefix(config, config.DATABASE_URL) }
  const jobs = await startJobs({ connection: { url: config.REDIS_URL, maxRetriesPerRequest: null }, pg: conn.pg, ch: conn.ch, logger, config: jobsConfig })
  logger.info({ clickhouse: conn.ch.engine }, 'worker started: journal shipper, jobs')
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_SECONDS, [
    ['jobs', () => jobs.close()],
    ['shipper', () => shipper.stop()],
    ['flush journal', () => shipper.drain()],
    ['connections', () => conn.close()],
  ])
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
