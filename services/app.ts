import crypto from 'node:crypto'
import express, { type Express } from 'express'
import { pinoHttp } from 'pino-http'
import { analyticsRouter } from './analytics/analytics.router'
import { recomputeRouter } from './analytics/recompute.router'
import { campaignsRouter } from './campaigns/campaigns.router'
import { dashboardsRouter } from './dashboards/dashboards.router'
import { targetsRouter } from './dashboards/targets.router'
import { consoleHandler, memberPageRedirect } from './console/console'
import { launchRouter } from './campaigns/launch.router'
import { couponsRouter } from './campaigns/coupons.router'
import { reportRouter } from './campaigns/report.router'
import { swipesRouter } from './ingest/swipes.router'
import { jobsRouter } from './jobs/jobs.router'
import { membersRouter } from './members/members.router'
import { meRouter } from './members/me.router'
import { privacyRouter } from './members/privacy.router'
import { staffRouter } from './members/staff.router'
import type { TokenSigner } from './platform/auth/tokens'
import { pointsRouter } from './points/points.router'
import type { ClickHouse } from './platform/clickhouse'
import type { Config } from './platform/config'
import { errorHandler, notFoundHandler } from './platform/http/errors'
import { healthRouter } from './platform/http/health.router'
import { buildOpenApiDocument } from './platform/http/openapi'
import type { Logger } from './platform/logger'
import { requestTimer, type Metrics } from './platform/metrics'
import type { Postgres } from './platform/postgres'
import type { Redis } from './platform/redis'
import type { StoresRepo } from './stores/stores.repo'
import type { JobQueues } from '../workers/queues'

/** The settings the API reads; tests pass the defaults from test/helpers/platform.ts. */
export type ApiConfig = Pick<
  Config,
  | 'CLOCK_SKEW_SECONDS'
  | 'MEMBER_TOKEN_TTL_SECONDS'
  | 'STAFF_TOKEN_TTL_SECONDS'
  | 'SIGN_IN_MAX_FAILURES'
  | 'SIGN_IN_LOCKOUT_SECONDS'
  | 'POINTS_EXPIRY_MONTHS'
> &
  Partial<Pick<Config, 'POINTS_SCORING'>> &
  Partial<Pick<Config, 'CAMPAIGN_FREQUENCY_CAP'>> &
  Partial<Pick<Config, 'METRICS_TOKEN'>>

export interface AppDeps {
  config: ApiConfig
  pg: Postgres
  redis: Redis
  ch: ClickHouse
  stores: StoresRepo
  metrics: Metrics
  logger: Logger
  /** Signs and checks staff and member sign-in tokens. */
  tokens: TokenSigner
  /** The job queues: POST …/recompute adds jobs, GET /v1/jobs/:id reads them. */
  jobs: JobQueues
  clock?: () => Date
}

/** What every area's router is built from: the app's dependencies with the clock settled. */
export type RouterDeps = AppDeps & { clock: () => Date }

const VERSION = '0.1.0'

/** The HTTP API, without listening: main.ts listens, tests boot it in-process on port 0. */
export function buildApp(deps: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id']
        const id = typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : crypto.randomUUID()
        res.setHeader('X-Request-Id', id)
        return id
      },
      // One line per request with what an operator needs; headers (keys) stay out.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res) => ({ status: res.statusCode }),
      },
      // Health probes every few seconds would drown the log.
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
    }),
  )
  app.use(requestTimer(deps.metrics))
  app.use(healthRouter({ ...deps, metricsToken: deps.config.METRICS_TOKEN }))
  const openapi = buildOpenApiDocument(VERSION)
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi)
  })
  const routerDeps: RouterDeps = { ...deps, clock: deps.clock ?? (() => new Date()) }
  app.use(
    swipesRouter({
      pg: deps.pg,
      stores: deps.stores,
      metrics: deps.metrics,
      clock: routerDeps.clock,
      skewSeconds: deps.config.CLOCK_SKEW_SECONDS,
      expiryMonths: deps.config.POINTS_EXPIRY_MONTHS,
      scoring: deps.config.POINTS_SCORING !== 'off',
    }),
  )
  app.use(staffRouter(routerDeps))
  app.use(membersRouter(routerDeps))
  app.use(meRouter(routerDeps))
  app.use(privacyRouter(routerDeps))
  app.use(pointsRouter(routerDeps))
  app.use(analyticsRouter(routerDeps))
  app.use(recomputeRouter(routerDeps))
  app.use(jobsRouter(routerDeps))
  app.use(campaignsRouter(routerDeps))
  app.use(launchRouter(routerDeps))
  app.use(reportRouter(routerDeps))
  app.use(couponsRouter(routerDeps))
  app.use(dashboardsRouter(routerDeps))
  app.use(targetsRouter(routerDeps))
  // The web console and the members' page (dashboards/), static files.
  app.use('/console', consoleHandler())
  app.use('/member', memberPageRedirect)
  app.use(notFoundHandler)
  app.use(errorHandler(deps.logger))
  return app
}
