import crypto from 'node:crypto'
import { Router } from 'express'
import type { ClickHouse } from '../clickhouse'
import { AppError } from './errors'
import type { Metrics } from '../metrics'
import type { Postgres } from '../postgres'
import type { Redis } from '../redis'

export interface HealthDeps {
  pg: Postgres
  redis: Redis
  ch: ClickHouse
  metrics: Metrics
  /** When set, /metrics answers only to this bearer token (business volumes are not public). */
  metricsToken?: string
}

const CHECK_TIMEOUT_MS = 2000

/** /healthz (the process answers), /readyz (its stores answer), /metrics (Prometheus). */
export function healthRouter(deps: HealthDeps): Router {
  const router = Router()
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' })
  })
  router.get('/readyz', async (_req, res) => {
    const checks = {
      postgres: await check(() => deps.pg.query('SELECT 1')),
      redis: await check(() => deps.redis.ping()),
      clickhouse: await check(async () => {
        const ping = await deps.ch.client.ping()
        if (!ping.success) throw ping.error
      }),
    }
    const ready = Object.values(checks).every((c) => c.ok)
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', engine: deps.ch.engine, checks })
  })
  router.get('/metrics', async (req, res) => {
    if (deps.metricsToken && !bearerMatches(req.get('authorization'), deps.metricsToken)) {
      throw AppError.unauthorized('/metrics needs the METRICS_TOKEN as a bearer token')
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics())
  })
  return router
}

/** Constant-time comparison of a presented bearer token with the expected one. */
function bearerMatches(header: string | undefined, expected: string): boolean {
  const presented = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '')
  const wanted = Buffer.from(expected)
  return presented.length === wanted.length && crypto.timingSafeEqual(presented, wanted)
}

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
      }),
    ])
    return { ok: true }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  } finally {
    clearTimeout(timer)
  }
}
