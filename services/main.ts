import { promisify } from 'node:util'
import crypto from 'node:crypto'
import { buildApp } from './app'
import { createTokenSigner } from './platform/auth/tokens'
import { createShipper, journalLag } from './ingest/shipper'
import { loadConfig } from './platform/config'
import { openConnections } from './platform/connections'
import { createLogger } from './platform/logger'
import { createMetrics } from './platform/metrics'
import { migrateAll } from './platform/migrator'
import { onShutdown } from './platform/shutdown'
import { createStoresRepo } from './stores/stores.repo'
import { queuePrefix } from '../workers/registry'
import { openQueues } from '../workers/queues'
import { startJobs } from '../workers/start-jobs'

/**
 * `npm start`: the API, and (unless `--role=api` on a ClickHouse server) the journal shipper
 * and workers, in one process. Embedded ClickHouse lets only one process open DATA_DIR, so
 * with it everything runs here.
 */
async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config)
  const apiOnly = process.argv.includes('--role=api')
  if (apiOnly && !config.CLICKHOUSE_URL) {
    logger.warn('--role=api needs CLICKHOUSE_URL: the embedded engine allows one process, so this one ships too')
  }
  const conn = await openConnections(config)
  const migrated = await migrateAll(conn.pg, conn.ch)
  logger.info({ migrated, clickhouse: conn.ch.engine }, 'databases migrated')

  const metrics = createMetrics(() => journalLag(conn.pg))
  const runShipper = !apiOnly || !config.CLICKHOUSE_URL
  const shipper = createShipper({
    pg: conn.pg,
    ch: conn.ch,
    logger,
    batchRows: config.SHIP_BATCH_ROWS,
    idleMs: config.SHIP_IDLE_MS,
    onShipped: (rows) => metrics.shippedRows.inc(rows),
  })
  if (!config.AUTH_SECRET) logger.warn('AUTH_SECRET is unset: sign-in tokens use a random secret and end with this process')
  const tokens = createTokenSigner(config.AUTH_SECRET ?? crypto.randomBytes(32).toString('hex'))
  // The jobs (points expiry and tiers, analytics): workers and schedules wherever the shipper
  // runs; an API-only process just opens the queues, to add jobs and answer GET /v1/jobs/:id.
  const jobsConfig = { ...config, QUEUE_PREFIX: queuePrefix(config, config.DATABASE_URL) }
  const connection = { url: config.REDIS_URL, maxRetriesPerRequest: null }
  const jobs = runShipper
    ? await startJobs({ connection, pg: conn.pg, ch: conn.ch, logger, config: jobsConfig })
    : openQueues({ connection, prefix: jobsConfig.QUEUE_PREFIX })
  const app = buildApp({
    config,
    tokens,
    ...conn,
    stores: createStoresRepo(conn.pg),
    jobs,
    metrics,
    logger,
  })
  const server = app.listen(config.PORT, config.HOST)
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject))
  if (runShipper) shipper.start()
  logger.info({ port: config.PORT, clickhouse: conn.ch.engine, shipper: runShipper }, 'loyalty platform listening')

  onShutdown(logger, config.SHUTDOWN_TIMEOUT_SECONDS, [
    ['http', () => promisify(server.close.bind(server))()],
    ['jobs', () => jobs.close()],
    ['shipper', () => shipper.stop()],
    ['flush journal', () => (runShipper ? shipper.drain() : Promise.resolve())],
    ['connections', () => conn.close()],
  ])
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
