import { mapCards } from '../../test/helpers/analytics'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/** Stores' monthly sales targets through HTTP (docs/dashboards.md "Stores"). */
let platform: TestPlatform
let admin: string
let storeId: string
const targets = (method: string, token: string, body?: unknown, id = storeId) => platform.request(method, `/v1/stores/${id}/targets`, { token, body })

beforeAll(async () => {
  platform = await startTestPlatform()
  admin = (await platform.createStaff(['admin'])).token
  storeId = (await platform.createStore()).storeId
}, 60_000)
afterAll(() => platform?.close())

it('an admin sets months, a later PUT replaces only the months it names, and staff read them exactly', async () => {
  const first = await targets('PUT', admin, [{ month: '2026-02', sales: '125000' }, { month: '2026-01', sales: '99999999999.99' }])
  expect(first.status).toBe(200)
  await targets('PUT', admin, [{ month: '2026-02', sales: '130000.5' }])
  const support = (await platform.createStaff(['support'])).token
  const res = await targets('GET', support)
  expect(res.status).toBe(200)
  expect(await json(res)).toEqual({
    store_id: storeId,
    store_name: 'Test store',
    targets: [{ month: '2026-01', sales: '99999999999.99' }, { month: '2026-02', sales: '130000.50' }],
  })
})

it('a 400 names each bad item; nothing is written', async () => {
  const res = await targets('PUT', admin, [
    { month: '2026-13', sales: '1.00' },
    { month: '2026-03', sales: '1.005' },
    { month: '2026-04', sales: 5 },
    { month: '2026-03', sales: '-1.00' },
    { month: '2026-05', sales: '1.00', note: 'x' },
  ])
  expect(res.status).toBe(400)
  const paths = ((await json(res)).errors as { path: string }[]).map((e) => e.path).sort()
  expect(paths).toEqual(['$[0].month', '$[1].sales', '$[2].sales', '$[3].sales', '$[4].note'])
  expect((await targets('PUT', admin, [])).status).toBe(400)
  expect((await targets('PUT', admin, { month: '2026-01', sales: '1.00' })).status).toBe(400)
  const months = (await json(targets('GET', admin))).targets.map((t: { month: string }) => t.month)
  expect(months).toEqual(['2026-01', '2026-02'])
})

it('a month given twice is a 400 naming the second', async () => {
  const res = await targets('PUT', admin, [{ month: '2026-06', sales: '1.00' }, { month: '2026-06', sales: '2.00' }])
  expect(((await json(res)).errors as { path: string }[]).map((e) => e.path)).toEqual(['$[1].month'])
})

it('only admins set targets; members read none; an unknown store is a 404', async () => {
  for (const role of ['marketer', 'analyst', 'support'] as const) {
    expect((await targets('PUT', (await platform.createStaff([role])).token, [{ month: '2026-01', sales: '1.00' }])).status).toBe(403)
  }
  const member = platform.memberToken(await mapCards(platform.db.pg, [], 'active'))
  expect((await targets('GET', member)).status).toBe(401)
  expect((await targets('GET', admin, undefined, 'sto_nope')).status).toBe(404)
  expect((await targets('PUT', admin, [{ month: '2026-01', sales: '1.00' }], 'sto_nope')).status).toBe(404)
})
