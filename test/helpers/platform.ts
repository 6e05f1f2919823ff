import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { buildApp } from '../../services/app'
import { createShipper, journalLag, type ShipperDeps } from '../../services/ingest/shipper'
import type { ClickHouse } from '../../services/platform/clickhouse'
import { createLogger } from '../../services/platform/logger'
import { createMetrics } from '../../services/platform/metrics'
import { createRedis, type Redis } from '../../services/platform/redis'
import { createStoresRepo, type StoresRepo } from '../../services/stores/stores.repo'
import { createTestClickHouse, createTestPostgres, type TestPostgres } from './databases'
import { TEST_REDIS_URL } from './test-env'

export interface TestPlatform {
  db: TestPostgres
  ch: ClickHouse
  redis: Redis
  stores: StoresRepo
  baseUrl: string
  logger: ReturnType<typeof createLogger>
  /** A new store and a live key for it. */
  createStore(): Promise<{ storeId: string; keyId: string; key: string }>
  /** A shipper on this platform's databases (tests drive it by hand). */
  shipper(overrides?: Partial<ShipperDeps>): ReturnType<typeof createShipper>
  /** POST JSON with a store key. */
  post(path: string, body: unknown, key: string, headers?: Record<string, string>): Promise<Response>
  close(): Promise<void>
}

/** The API in-process on port 0, on a fresh Postgres database and ClickHouse database. */
export async function startTestPlatform(options: { clock?: () => Date } = {}): Promise<TestPlatform> {
  const db = await createTestPostgres()
  const ch = await createTestClickHouse()
  const redis = createRedis(TEST_REDIS_URL)
  const logger = createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' })
  const stores = createStoresRepo(db.pg)
  const metrics = createMetrics(() => journalLag(db.pg))
  const app = buildApp({ config: { CLOCK_SKEW_SECONDS: 300 }, pg: db.pg, redis, ch, stores, metrics, logger, clock: options.clock })
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  let storeCount = 0
  return {
    db,
    ch,
    redis,
    stores,
    baseUrl,
    logger,
    async createStore() {
      const store = await stores.createStore(`S${++storeCount}-${Date.now()}`, 'Test store')
      const key = await stores.createKey(store.id)
      return { storeId: store.id, keyId: key.keyId, key: key.token }
    },
    shipper: (overrides = {}) =>
      createShipper({ pg: db.pg, ch, logger, batchRows: 50_000, idleMs: 20, ...overrides }),
    post: (path, body, key, headers = {}) =>
      fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await redis.quit()
      await ch.close()
      await db.drop()
    },
  }
}

/** The JSON body of a response; tests read answers loosely and assert on them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json()
}
