import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { Redis } from 'ioredis'
import { buildApp, type AppDeps } from '../../app'
import { journalLag } from '../../ingest/shipper'
import { createMetrics } from '../metrics'
import { createPostgres } from '../postgres'
import { createStoresRepo } from '../../stores/stores.repo'
import { metricValue } from '../../../test/helpers/child-process'
import { makeSwipe } from '../../../test/helpers/factories'
import { json, startTestPlatform, type TestPlatform, TEST_API_CONFIG } from '../../../test/helpers/platform'

let platform: TestPlatform
let store: { storeId: string; keyId: string; key: string }

beforeAll(async () => {
  platform = await startTestPlatform()
  store = await platform.createStore()
})
afterAll(() => platform.close())

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${platform.baseUrl}${path}`, { headers })

/** Runs `fn` against a second app on this platform's stores, with some dependencies replaced. */
async function withApp(overrides: Partial<AppDeps>, fn: (baseUrl: string) => Promise<void>): Promise<void> {
  const app = buildApp({
    config: TEST_API_CONFIG,
    tokens: platform.tokens,
    pg: platform.db.pg,
    redis: platform.redis,
    ch: platform.ch,
    stores: platform.stores,
    jobs: platform.jobs,
    metrics: createMetrics(() => journalLag(platform.db.pg)),
    logger: platform.logger,
    ...overrides,
  })
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

describe('health', () => {
  test('GET /healthz answers 200 {status: ok}', async () => {
    const res = await get('/healthz')
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ status: 'ok' })
  })

  test('GET /readyz answers 200 with Postgres, Redis and ClickHouse checked, on the embedded engine', async () => {
    const res = await get('/readyz')
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({
      status: 'ready',
      engine: 'embedded',
      checks: { postgres: { ok: true }, redis: { ok: true }, clickhouse: { ok: true } },
    })
  })

  test('GET /readyz answers 503 naming the dependency that is down', async () => {
    // Redis at a port where nothing listens, failing at once instead of queueing commands.
    const deadRedis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    })
    deadRedis.on('error', () => {})
    try {
      await withApp({ redis: deadRedis }, async (baseUrl) => {
        const res = await fetch(`${baseUrl}/readyz`)
        expect(res.status).toBe(503)
        const body = await json(res)
        expect(body.status).toBe('not ready')
        expect(body.checks.redis.ok).toBe(false)
        expect(typeof body.checks.redis.error).toBe('string')
        expect(body.checks.postgres).toEqual({ ok: true })
        expect(body.checks.clickhouse).toEqual({ ok: true })
      })
    } finally {
      deadRedis.disconnect()
    }
  })
})

describe('when Postgres is unreachable', () => {
  test('a till gets 503 with Retry-After (safe to retry), never a 500', async () => {
    const deadPg = createPostgres('postgres://postgres@127.0.0.1:1/loyalty', { max: 1 })
    try {
      await withApp({ pg: deadPg, stores: createStoresRepo(deadPg), metrics: createMetrics(() => journalLag(deadPg)) }, async (baseUrl) => {
        const res = await fetch(`${baseUrl}/v1/swipes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${store.key}` },
          body: JSON.stringify(makeSwipe()),
        })
        expect(res.status).toBe(503)
        expect(res.headers.get('retry-after')).toBe('5')
        expect(res.headers.get('content-type')).toContain('application/problem+json')
        expect((await json(res)).code).toBe('unavailable')
      })
    } finally {
      await deadPg.close()
    }
  })
})

describe('GET /metrics', () => {
  const scrape = async () => {
    const res = await get('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    return res.text()
  }
  const swipes = (text: string, outcome: string) => metricValue(text, 'swipes_total', { outcome }) ?? 0

  test('counts swipes by outcome, times requests by route, and reports the journal lag', async () => {
    const before = await scrape()
    const timedBefore = metricValue(before, 'http_request_duration_seconds_count', { method: 'POST', route: '/v1/swipes', status: '201' }) ?? 0

    expect((await platform.post('/v1/swipes', makeSwipe(), store.key)).status).toBe(201)
    expect((await platform.post('/v1/swipes', makeSwipe(), store.key)).status).toBe(201)
    expect((await platform.post('/v1/swipes', makeSwipe({ total: '3.98' }), store.key)).status).toBe(400)

    const after = await scrape()
    expect(after).toContain('# TYPE http_request_duration_seconds histogram')
    expect(swipes(after, 'accepted') - swipes(before, 'accepted')).toBe(2)
    expect(swipes(after, 'rejected') - swipes(before, 'rejected')).toBe(1)
    expect(swipes(after, 'replayed') - swipes(before, 'replayed')).toBe(0)
    // Under the route's pattern, not 'unmatched'.
    const timedAfter = metricValue(after, 'http_request_duration_seconds_count', { method: 'POST', route: '/v1/swipes', status: '201' })
    expect(timedAfter).toBe(timedBefore + 2)

    expect(metricValue(after, 'journal_lag_rows')).toBeGreaterThan(0)
    expect(await platform.shipper().drain()).toBeGreaterThanOrEqual(2)
    expect(metricValue(await scrape(), 'journal_lag_rows')).toBe(0)
  })
})

test('one scrape runs the journal-lag query once for both lag gauges', async () => {
  let queries = 0
  const counted = createMetrics(() => {
    queries++
    return journalLag(platform.db.pg)
  })
  await withApp({ metrics: counted }, async (baseUrl) => {
    const text = await (await fetch(`${baseUrl}/metrics`)).text()
    expect(text).toMatch(/^journal_lag_rows \d+/m)
    expect(text).toMatch(/^journal_lag_seconds [\d.e+-]+/m)
    expect(queries).toBe(1)
    await fetch(`${baseUrl}/metrics`)
    expect(queries).toBe(2) // a later scrape reads afresh
  })
})

test('with METRICS_TOKEN set, /metrics answers only to that bearer token', async () => {
  const token = 'metrics-token-0123456789'
  await withApp({ config: { ...TEST_API_CONFIG, METRICS_TOKEN: token } }, async (baseUrl) => {
    const url = `${baseUrl}/metrics`
    expect((await fetch(url)).status).toBe(401)
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401)
    expect((await fetch(url, { headers: { authorization: `Bearer ${store.key}` } })).status).toBe(401)
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toContain('journal_lag_rows')
  })
})

describe('GET /openapi.json', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let doc: any
  beforeAll(async () => {
    const res = await get('/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    doc = await json(res)
  })

  test('is OpenAPI 3.1 with both swipe endpoints as POST operations', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.paths['/v1/swipes'].post).toEqual(expect.objectContaining({ responses: expect.any(Object) }))
    expect(doc.paths['/v1/swipes/bulk'].post).toEqual(expect.objectContaining({ responses: expect.any(Object) }))
  })

  test('describes a Swipe with its required fields', () => {
    expect(doc.components.schemas.Swipe.required).toEqual(expect.arrayContaining(['txn_id', 'card_number', 'lines', 'total']))
  })

  test('every $ref resolves to a component and every security requirement to a scheme', () => {
    const refs: string[] = []
    const securities: string[] = []
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk)
      if (node === null || typeof node !== 'object') return
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') refs.push(value)
        if (key === 'security' && Array.isArray(value)) value.forEach((req) => securities.push(...Object.keys(req as object)))
        walk(value)
      }
    }
    walk(doc)
    expect(refs.length).toBeGreaterThan(0)
    const unresolved = refs.filter((ref) => {
      if (!ref.startsWith('#/components/')) return true
      let target: unknown = doc
      for (const part of ref.slice(2).split('/')) {
        const key = part.replace(/~1/g, '/').replace(/~0/g, '~')
        if (target === null || typeof target !== 'object' || !(key in target)) return true
        target = (target as Record<string, unknown>)[key]
      }
      return target === undefined
    })
    expect(unresolved).toEqual([])
    expect(securities.length).toBeGreaterThan(0)
    expect(securities.filter((name) => !(name in doc.components.securitySchemes))).toEqual([])
  })
})

describe('errors and request ids', () => {
  test('an unknown route is 404 problem+json with the request id, which is also in X-Request-Id', async () => {
    const res = await get('/v1/nothing-here')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const id = res.headers.get('x-request-id')
    expect(id).toBeTruthy()
    expect(await json(res)).toMatchObject({ status: 404, code: 'not_found', request_id: id })
  })

  test('every response carries an X-Request-Id, a different one each time', async () => {
    const responses = await Promise.all([get('/healthz'), get('/readyz'), get('/metrics'), get('/openapi.json'), get('/nope')])
    const ids = responses.map((r) => r.headers.get('x-request-id'))
    await Promise.all(responses.map((r) => r.arrayBuffer()))
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
  })

  test("a caller's X-Request-Id is echoed back and quoted in problem bodies", async () => {
    const res = await get('/v1/nothing-here', { 'x-request-id': 'till-42-abc' })
    expect(res.headers.get('x-request-id')).toBe('till-42-abc')
    expect((await json(res)).request_id).toBe('till-42-abc')

    const invalid = await platform.post('/v1/swipes', makeSwipe({ total: '3.98' }), store.key, { 'x-request-id': 'till-42-def' })
    expect(invalid.status).toBe(400)
    expect(invalid.headers.get('x-request-id')).toBe('till-42-def')
    expect((await json(invalid)).request_id).toBe('till-42-def')
  })

  test('a malformed X-Request-Id is replaced, not echoed', async () => {
    const res = await get('/healthz', { 'x-request-id': 'bad id with spaces' })
    const id = res.headers.get('x-request-id')
    await res.arrayBuffer()
    expect(id).toBeTruthy()
    expect(id).not.toBe('bad id with spaces')
  })

  test('a store key opens nothing but the swipe routes: unknown routes stay 404', async () => {
    const auth = { authorization: `Bearer ${store.key}` }
    for (const [method, path] of [
      ['GET', '/v1/stores'],
      ['POST', '/v1/stores'],
      ['GET', '/v1/swipes'],
      ['DELETE', '/v1/swipes'],
      ['GET', '/admin'],
    ] as const) {
      const res = await fetch(`${platform.baseUrl}${path}`, { method, headers: auth })
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 })
      expect((await json(res)).code).toBe('not_found')
    }
  })
})
