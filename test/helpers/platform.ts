import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import crypto from 'node:crypto'
import { buildApp, type ApiConfig } from '../../services/app'
import type { StaffRole } from '../../services/platform/auth/auth.middleware'
import { hashSecret } from '../../services/platform/auth/passwords'
import { createTokenSigner, type TokenSigner } from '../../services/platform/auth/tokens'
import { createShipper, journalLag, type ShipperDeps } from '../../services/ingest/shipper'
import type { ClickHouse } from '../../services/platform/clickhouse'
import { createLogger } from '../../services/platform/logger'
import { createMetrics } from '../../services/platform/metrics'
import { createRedis, type Redis } from '../../services/platform/redis'
import { createStoresRepo, type StoresRepo } from '../../services/stores/stores.repo'
import { createTestClickHouse, createTestPostgres, type TestPostgres } from './databases'
import { TEST_REDIS_URL } from './test-env'
import { loadConfig } from '../../services/platform/config'
import { openQueues, type JobQueues } from '../../workers/queues'
import { startJobs } from '../../workers/start-jobs'

export interface TestPlatform {
  db: TestPostgres
  ch: ClickHouse
  redis: Redis
  stores: StoresRepo
  /** The job queues, under a prefix of this platform's own; workers run only if asked for. */
  jobs: JobQueues
  baseUrl: string
  logger: ReturnType<typeof createLogger>
  /** A new store and a live key for it. */
  createStore(): Promise<{ storeId: string; keyId: string; key: string }>
  /** A shipper on this platform's databases (tests drive it by hand). */
  shipper(overrides?: Partial<ShipperDeps>): ReturnType<typeof createShipper>
  /** POST JSON with a store key. */
  post(path: string, body: unknown, key: string, headers?: Record<string, string>): Promise<Response>
  /** Any request, JSON in, with a bearer token (a store key or a sign-in token) if given. */
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>
  /** Signs tokens as the app does. */
  tokens: TokenSigner
  /** A staff user with these roles, straight into the database, and a token for them. */
  createStaff(roles: StaffRole[], password?: string): Promise<{ userId: string; email: string; password: string; token: string }>
  /** A token for a member (the member must be active for routes to accept it). */
  memberToken(memberId: string): string
  close(): Promise<void>
}

/** The API in-process on port 0, on a fresh Postgres database and ClickHouse database. */
/** The API settings tests run with (the platform's defaults). */
export const TEST_API_CONFIG: ApiConfig = {
  CLOCK_SKEW_SECONDS: 300,
  MEMBER_TOKEN_TTL_SECONDS: 900,
  STAFF_TOKEN_TTL_SECONDS: 28_800,
  SIGN_IN_MAX_FAILURES: 5,
  SIGN_IN_LOCKOUT_SECONDS: 900,
  POINTS_EXPIRY_MONTHS: 24,
}

export async function startTestPlatform(
  options: { clock?: () => Date; config?: Partial<ApiConfig>; workers?: boolean } = {},
): Promise<TestPlatform> {
  const db = await createTestPostgres()
  const ch = await createTestClickHouse()
  const redis = createRedis(TEST_REDIS_URL)
  const logger = createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' })
  const connection = { url: TEST_REDIS_URL, maxRetriesPerRequest: null }
  const prefix = `test-${crypto.randomBytes(6).toString('hex')}`
  const jobs = options.workers
    ? await startJobs({ connection, pg: db.pg, ch, logger, clock: options.clock, schedules: false, config: { ...loadConfig({}), QUEUE_PREFIX: prefix } })
    : openQueues({ connection, prefix })
  const stores = createStoresRepo(db.pg)
  const metrics = createMetrics(() => journalLag(db.pg))
  const tokens = createTokenSigner(crypto.randomBytes(32).toString('hex'))
  const config = { ...TEST_API_CONFIG, ...options.config }
  const app = buildApp({ config, pg: db.pg, redis, ch, stores, jobs, metrics, logger, tokens, clock: options.clock })
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
    jobs,
    baseUrl,
    logger,
    async createStore() {
      const store = await stores.createStore(`S${++storeCount}-${Date.now()}`, 'Test store')
      const key = await stores.createKey(store.id)
      return { storeId: store.id, keyId: key.keyId, key: key.token }
    },
    shipper: (overrides = {}) =>
      createShipper({ pg: db.pg, ch, logger, batchRows: 50_000, idleMs: 20, ...overrides }),
    tokens,
    async createStaff(roles, password = `pw-${crypto.randomBytes(6).toString('hex')}`) {
      const userId = `usr_${crypto.randomBytes(8).toString('hex')}`
      const email = `${userId}@staff.example`
      await db.pg.query('INSERT INTO staff_users (id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5)', [
        userId,
        email,
        `Staff ${roles.join('+')}`,
        await hashSecret(password),
        roles,
      ])
      return { userId, email, password, token: tokens.issue({ sub: userId, kind: 'staff' }, 3600).token }
    },
    memberToken: (memberId) => tokens.issue({ sub: memberId, kind: 'member' }, 900).token,
    request: (method, path, { token, body, headers = {} } = {}) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
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
      for (const queue of Object.values(jobs.queues)) await queue.obliterate({ force: true })
      await jobs.close()
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
