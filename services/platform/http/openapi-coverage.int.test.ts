import express, { Router, type Express } from 'express'
import { buildApp } from '../../app'
import { journalLag } from '../../ingest/shipper'
import { STAFF_ROLES, type StaffRole } from '../auth/auth.middleware'
import { createMetrics } from '../metrics'
import { makeMember } from '../../../test/helpers/members'
import { json, startTestPlatform, TEST_API_CONFIG, type TestPlatform } from '../../../test/helpers/platform'

/**
 * /openapi.json against the routes the app really has: every route is documented, every
 * documented operation is served, and each operation's security and staff roles (`x-roles`)
 * are what its router enforces. Routes are found by walking the Express router stack, so a
 * route added to any router (or a router mounted anywhere) without documentation fails here.
 */

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
/** Served but not part of the API the document describes: the document itself. */
const NOT_DOCUMENTED = new Set(['GET /openapi.json'])

interface Layer {
  name?: string
  rawPath?: unknown
  handle?: unknown
  route?: { path: unknown; methods: Record<string, boolean | undefined> }
}

/** Every route of an Express 5 app as "METHOD /path/{param}", from app.router's stack. */
function routesOf(app: Express): string[] {
  const routes: string[] = []
  walk((app.router as unknown as { stack: Layer[] }).stack, '', routes)
  return routes.sort()
}

function walk(stack: Layer[], prefix: string, routes: string[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]
      for (const path of paths) {
        if (typeof path !== 'string') throw new Error(`a route path that is not a string (${String(path)}) cannot be matched to the document`)
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (!on) continue
          if (method === '_all') throw new Error(`${prefix}${path} answers every method (all()): document it per method instead`)
          routes.push(`${method.toUpperCase()} ${openApiPath(prefix + path)}`)
        }
      }
    } else if (layer.name === 'mounted_app') {
      throw new Error('a mounted sub-app hides its routes from this walk: mount a Router instead')
    } else if (isRouter(layer.handle)) {
      if (typeof layer.rawPath !== 'string') throw new Error(`a router mounted at ${String(layer.rawPath)} cannot be matched to the document`)
      walk(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : layer.rawPath), routes)
    }
  }
}

const isRouter = (handle: unknown): handle is { stack: Layer[] } =>
  typeof handle === 'function' && Array.isArray((handle as { stack?: unknown }).stack)

/** Express's `/v1/members/:id` as OpenAPI's `/v1/members/{id}`; wildcards and optional parts are refused. */
function openApiPath(path: string): string {
  if (/[*{}()?]/.test(path)) throw new Error(`${path}: wildcards and optional segments have no OpenAPI path; give the route plain :params`)
  return path.replace(/:(\w+)/g, '{$1}')
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = { paths: Record<string, Record<string, any>> }

/** Every operation of the document as "METHOD /path/{param}". */
function operationsOf(doc: Doc): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).filter((key) => HTTP_METHODS.includes(key)).map((method) => `${method.toUpperCase()} ${path}`))
    .sort()
}

const undocumented = (routes: string[], doc: Doc) => {
  const documented = new Set(operationsOf(doc))
  return routes.filter((route) => !documented.has(route) && !NOT_DOCUMENTED.has(route))
}

let platform: TestPlatform
let doc: Doc

beforeAll(async () => {
  platform = await startTestPlatform()
  doc = await json(platform.request('GET', '/openapi.json'))
})
afterAll(() => platform.close())

/** An app built as the platform's is, on its stores, for reading the router stack. */
function anApp(): Express {
  return buildApp({
    config: TEST_API_CONFIG,
    tokens: platform.tokens,
    pg: platform.db.pg,
    redis: platform.redis,
    ch: platform.ch,
    stores: platform.stores,
    jobs: platform.jobs,
    metrics: createMetrics(() => journalLag(platform.db.pg)),
    logger: platform.logger,
  })
}

/** The operation's path with every {param} filled by a value that names nothing. */
const concrete = (path: string) => path.replace(/\{\w+\}/g, 'x0')

/** The answer to METHOD path with no body, and whether it came from the app's no-such-route handler. */
async function call(operation: string, token?: string): Promise<{ status: number; noRoute: boolean }> {
  const [method, path] = operation.split(' ') as [string, string]
  const res = await platform.request(method, concrete(path), { token })
  const text = await res.text()
  return { status: res.status, noRoute: res.status === 404 && text.includes('"no route for ') }
}

describe('the OpenAPI document covers the routes', () => {
  test('every route the app serves is documented', () => {
    const routes = routesOf(anApp())
    expect(routes).toEqual(expect.arrayContaining(['POST /v1/swipes', 'GET /v1/members/{id}', 'POST /v1/redemptions/{id}/cancel']))
    expect(undocumented(routes, doc)).toEqual([])
  })

  test('every documented operation is a route the app serves', () => {
    const routes = new Set(routesOf(anApp()))
    expect(operationsOf(doc).filter((operation) => !routes.has(operation))).toEqual([])
  })

  test('a route added without documentation is caught, even in a router mounted under a path', () => {
    const app = anApp()
    const inner = Router()
    inner.get('/:id/secrets', (_req, res) => void res.json({}))
    const outer = Router()
    outer.use('/v1/hidden', inner)
    app.use(outer)
    expect(undocumented(routesOf(app), doc)).toEqual(['GET /v1/hidden/{id}/secrets'])
  })

  test('routes the walk cannot see or name are refused, not skipped', () => {
    const subApp = express()
    subApp.get('/v1/elsewhere', (_req, res) => void res.json({}))
    const withSubApp = express()
    withSubApp.use(subApp)
    expect(() => routesOf(withSubApp)).toThrow(/sub-app/)

    const withWildcard = express()
    withWildcard.get('/v1/files/*path', (_req, res) => void res.json({}))
    expect(() => routesOf(withWildcard)).toThrow(/wildcards/)
  })
})

describe('each operation is guarded as documented', () => {
  test('every documented operation is answered by its route; those with security refuse a caller without credentials (401)', async () => {
    const wrong: string[] = []
    for (const operation of operationsOf(doc)) {
      const [method, path] = operation.split(' ') as [string, string]
      const secured = (doc.paths[path]![method.toLowerCase()].security ?? []).length > 0
      const { status, noRoute } = await call(operation)
      if (noRoute) wrong.push(`${operation}: no route`)
      else if (secured && status !== 401) wrong.push(`${operation}: documented with security, answered ${status} without credentials`)
      else if (!secured && status === 401) wrong.push(`${operation}: documented without security, answered 401`)
    }
    expect(wrong).toEqual([])
  })

  test('each secured operation admits the credential its security scheme names and refuses the others (401)', async () => {
    const credentials = {
      staffToken: (await platform.createStaff(['admin'])).token,
      memberToken: platform.memberToken((await makeMember(platform.db.pg)).memberId),
      storeKey: (await platform.createStore()).key,
    }
    const wrong: string[] = []
    for (const operation of operationsOf(doc)) {
      const [method, path] = operation.split(' ') as [string, string]
      const schemes = ((doc.paths[path]![method.toLowerCase()].security ?? []) as object[]).flatMap((requirement) => Object.keys(requirement))
      if (schemes.length === 0) continue
      if (schemes.some((scheme) => !(scheme in credentials))) wrong.push(`${operation}: unknown scheme in ${schemes.join(', ')}`)
      for (const [scheme, token] of Object.entries(credentials)) {
        const { status } = await call(operation, token)
        if ((status !== 401) !== schemes.includes(scheme)) wrong.push(`${operation} with a ${scheme}: ${status}`)
      }
    }
    expect(wrong).toEqual([])
  })

  test("every staff operation names its roles in x-roles and its description, and admits exactly those roles", async () => {
    const tokens = Object.fromEntries(
      await Promise.all(STAFF_ROLES.map(async (role) => [role, (await platform.createStaff([role])).token] as const)),
    ) as Record<StaffRole, string>
    const staffOperations = operationsOf(doc).filter((operation) => {
      const [method, path] = operation.split(' ') as [string, string]
      return JSON.stringify(doc.paths[path]![method.toLowerCase()].security ?? []).includes('staffToken')
    })
    expect(staffOperations.length).toBeGreaterThan(10)

    const wrong: string[] = []
    for (const operation of staffOperations) {
      const [method, path] = operation.split(' ') as [string, string]
      const { 'x-roles': roles, description } = doc.paths[path]![method.toLowerCase()] as { 'x-roles'?: StaffRole[]; description?: string }
      if (!roles?.includes('admin') || !roles.every((role) => STAFF_ROLES.includes(role))) wrong.push(`${operation}: x-roles ${JSON.stringify(roles)}`)
      if (!description?.includes('**Roles**')) wrong.push(`${operation}: no roles in the description`)
      for (const role of STAFF_ROLES) {
        const { status } = await call(operation, tokens[role])
        const admitted = status !== 401 && status !== 403
        if (admitted !== (roles ?? []).includes(role)) wrong.push(`${operation} as ${role}: ${status}`)
      }
    }
    expect(wrong).toEqual([])
  })
})
