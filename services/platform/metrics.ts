import type { RequestHandler } from 'express'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * The platform's Prometheus metrics, on a registry of its own (one per app, so tests that
 * boot several apps in one process do not collide).
 */
export function createMetrics(journalLag: () => Promise<{ rows: number; oldestSeconds: number }>) {
  // Both lag gauges come from one query per scrape: prom-client collects a scrape's metrics
  // concurrently, so the second gauge joins the query in flight. Nothing outlives the query.
  let inFlight: Promise<{ rows: number; oldestSeconds: number }> | undefined
  const lag = () => {
    inFlight ??= journalLag().finally(() => {
      inFlight = undefined
    })
    return inFlight
  }
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    swipes: new Counter({
      name: 'swipes_total',
      help: 'Swipes posted by tills, by outcome (accepted, replayed, rejected)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    shippedRows: new Counter({
      name: 'journal_shipped_rows_total',
      help: 'Journal rows shipped to ClickHouse',
      registers: [registry],
    }),
  }
  new Gauge({
    name: 'journal_lag_rows',
    help: 'Accepted swipes not yet in ClickHouse',
    registers: [registry],
    async collect() {
      this.set((await lag()).rows)
    },
  })
  new Gauge({
    name: 'journal_lag_seconds',
    help: 'Age of the oldest accepted swipe not yet in ClickHouse',
    registers: [registry],
    async collect() {
      this.set((await lag()).oldestSeconds)
    },
  })
  return metrics
}
export type Metrics = ReturnType<typeof createMetrics>

/** Times every request under its route pattern (not its raw path, which would explode labels). */
export function requestTimer(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer()
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched'
      end({ method: req.method, route, status: String(res.statusCode) })
    })
    next()
  }
}
