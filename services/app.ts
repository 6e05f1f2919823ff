import crypto from 'node:crypto'
import express, { type Express } from 'express'
import { pinoHttp } from 'pino-http'
import { swipesRouter } from './ingest/swipes.router'
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

export interface AppDeps {
  config: Pick<Config, 'CLOCK_SKEW_SECONDS'> & Partial<Pick<Config, 'METRICS_TOKEN'>>
  pg: Postgres
  redis: Redis
  ch: ClickHouse
  stores: StoresRepo
  metrics: Metrics
  logger: Logger
  clock?: () => Date
}

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
  app.use(
    swipesRouter({
      pg: deps.pg,
      stores: deps.stores,
      metrics: deps.metrics,
      clock: deps.clock ?? (() => new Date()),
      skewSeconds: deps.config.CLOCK_SKEW_SECONDS,
    }),
  )
  app.use(notFoundHandler)
  app.use(errorHandler(deps.logger))
  return app
}
