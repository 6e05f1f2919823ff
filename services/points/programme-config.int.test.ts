import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

const NOW = new Date('2026-12-01T12:00:00Z')
let platform: TestPlatform
let marketer: { userId: string; token: string }
let admin: { userId: string; token: string }

beforeAll(async () => {
  platform = await startTestPlatform({ clock: () => NOW })
  marketer = await platform.createStaff(['marketer'])
  admin = await platform.createStaff(['admin'])
})
afterAll(() => platform.close())

const get = (path: string, token = marketer.token) => platform.request('GET', path, { token })
const put = (path: string, body: unknown, token = marketer.token, headers: Record<string, string> = {}) =>
  platform.request('PUT', path, { token, body, headers })
const audits = (action: string) => platform.db.pg.query('SELECT actor_id, entity_id, before, after FROM audit_log WHERE action = $1 ORDER BY id', [action])

const DAIRY = {
  id: 'rul_dairy_dec',
  name: 'Double dairy in December',
  scope: { type: 'category', category: 'Dairy' },
  multiplier: '2.0000',
  valid_from: '2026-12-05T00:00:00+01:00',
  valid_to: '2027-01-01T00:00:00+01:00',
}

describe('earning rules', () => {
  test('GET answers the newest version with its number; PUT adds a version, audited, and GET then answers it', async () => {
    const first = await get('/v1/earning-rules')
    expect(first.status).toBe(200)
    const current = await json(first)
    expect(current.version).toBe(1)
    expect(first.headers.get('etag')).toBe('"1"')
    const proposed = { ...current.rules, multipliers: [DAIRY] }
    const res = await put('/v1/earning-rules', proposed, marketer.token, { 'If-Match': '"1"' })
    expect(res.status).toBe(201)
    const created = await json(res)
    expect(created).toMatchObject({ version: 2, created_by: marketer.userId, rules: { multipliers: [DAIRY] } })
    expect((await json(get('/v1/earning-rules'))).version).toBe(2)
    const [entry] = await audits('rules.update')
    expect(entry).toMatchObject({ actor_id: marketer.userId, entity_id: '2', before: { version: 1 }, after: { version: 2, rules: { multipliers: [DAIRY] } } })
    const versions = await json(get('/v1/earning-rules/versions'))
    expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([2, 1])
    expect((await json(get('/v1/earning-rules/versions/1'))).rules.multipliers).toEqual([])
  })

  test('PUT of the same document adds no version; an outdated If-Match is refused', async () => {
    const current = await json(get('/v1/earning-rules'))
    const same = await put('/v1/earning-rules', current.rules)
    expect([same.status, (await json(same)).version]).toEqual([200, current.version])
    const stale = await put('/v1/earning-rules', { ...current.rules, bonuses: [] }, marketer.token, { 'If-Match': '"1"' })
    expect([stale.status, (await json(stale)).code]).toEqual([412, 'version_mismatch'])
    expect((await json(get('/v1/earning-rules'))).version).toBe(current.version)
  })

  test('a PUT that rewrites a rule in force before now is refused, naming each rule and path, and stores nothing', async () => {
    const current = await json(get('/v1/earning-rules'))
    const rewritten = {
      ...current.rules,
      base_rates: current.rules.base_rates
        .filter((r: { id: string }) => r.id !== 'rul_base_gbp')
        .map((r: { id: string }) => (r.id === 'rul_base_eur' ? { ...r, points_per_unit: '2.0000' } : r)),
    }
    const res = await put('/v1/earning-rules', rewritten)
    expect(res.status).toBe(409)
    const problem = await json(res)
    expect(problem.code).toBe('rewrites_history')
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { path: '$.base_rates[0].points_per_unit', message: expect.stringContaining('rul_base_eur') },
        { path: '$.base_rates', message: expect.stringContaining('rul_base_gbp') },
      ]),
    )
    expect((await json(get('/v1/earning-rules'))).version).toBe(current.version)
  })

  test('ending a rule in force (valid_to now or later) is accepted', async () => {
    const current = await json(get('/v1/earning-rules'))
    const ended = {
      ...current.rules,
      base_rates: current.rules.base_rates.map((r: { id: string }) => (r.id === 'rul_base_usd' ? { ...r, valid_to: '2026-12-31T23:00:00Z' } : r)),
    }
    const res = await put('/v1/earning-rules', ended)
    expect(res.status).toBe(201)
    expect((await json(res)).rules.base_rates.find((r: { id: string }) => r.id === 'rul_base_usd').valid_to).toBe('2026-12-31T23:00:00Z')
  })

  test('a rate changes by ending the old rule and starting its successor at the same instant', async () => {
    const current = await json(get('/v1/earning-rules'))
    const at = '2027-01-01T00:00:00+01:00'
    const eur = current.rules.base_rates.find((r: { id: string }) => r.id === 'rul_base_eur')
    const next = {
      ...current.rules,
      base_rates: [
        ...current.rules.base_rates.map((r: { id: string }) => (r.id === 'rul_base_eur' ? { ...r, valid_to: at } : r)),
        { ...eur, id: 'rul_base_eur_2027', points_per_unit: '1.5000', valid_from: at },
      ],
    }
    const res = await put('/v1/earning-rules', next)
    expect(res.status).toBe(201)
    expect((await json(res)).version).toBe(current.version + 1)
  })

  test('an invalid document is a 400 naming each problem by its path', async () => {
    const res = await put('/v1/earning-rules', { base_rates: [{ id: 'bad id', name: '', currency: 'eur', points_per_unit: 'x' }], extra: 1 })
    expect(res.status).toBe(400)
    const paths = (await json(res)).errors.map((e: { path: string }) => e.path).sort()
    expect(paths).toEqual(['$.base_rates[0].currency', '$.base_rates[0].id', '$.base_rates[0].name', '$.base_rates[0].points_per_unit', '$.extra'])
  })

  test('marketers and admins edit the rules; analysts and support read them only; no token is 401', async () => {
    const current = await json(get('/v1/earning-rules'))
    for (const role of ['analyst', 'support'] as const) {
      const staff = await platform.createStaff([role])
      expect((await get('/v1/earning-rules', staff.token)).status).toBe(200)
      expect((await put('/v1/earning-rules', current.rules, staff.token)).status).toBe(403)
    }
    expect((await put('/v1/earning-rules', current.rules, admin.token)).status).toBe(200)
    expect((await platform.request('GET', '/v1/earning-rules')).status).toBe(401)
    const store = await platform.createStore()
    expect((await get('/v1/earning-rules', store.key)).status).toBe(401)
  })
})

describe('tiers', () => {
  const LADDER = [
    { code: 'bronze', name: 'Bronze', min_spend: '0.00' },
    { code: 'silver', name: 'Silver', min_spend: '400.00' },
    { code: 'gold', name: 'Gold', min_spend: '1500.00' },
    { code: 'platinum', name: 'Platinum', min_spend: '5000.00' },
  ]

  test('admins replace the ladder with a new version, audited; everyone on staff reads it', async () => {
    expect((await json(get('/v1/tiers'))).version).toBe(1)
    const res = await put('/v1/tiers', LADDER, admin.token)
    expect(res.status).toBe(201)
    expect(await json(res)).toMatchObject({ version: 2, tiers: LADDER, created_by: admin.userId })
    expect((await json(get('/v1/tiers'))).tiers).toEqual(LADDER)
    expect((await json(get('/v1/tiers/versions'))).versions.map((v: { version: number }) => v.version)).toEqual([2, 1])
    const [entry] = await audits('tiers.update')
    expect(entry).toMatchObject({ actor_id: admin.userId, entity_id: '2', before: { version: 1 }, after: { tiers: LADDER } })
  })

  test('only admins edit tiers', async () => {
    expect((await put('/v1/tiers', LADDER, marketer.token)).status).toBe(403)
  })

  test('a ladder that does not start at 0.00 or does not rise is a 400 with paths', async () => {
    const res = await put('/v1/tiers', [{ code: 'bronze', name: 'Bronze', min_spend: '10.00' }, { code: 'gold', name: 'Gold', min_spend: '5.00' }], admin.token)
    expect(res.status).toBe(400)
    expect((await json(res)).errors.map((e: { path: string }) => e.path).sort()).toEqual(['$[0].min_spend', '$[1].min_spend'])
  })
})
