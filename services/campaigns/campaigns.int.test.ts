import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { campaignInput } from '../../test/helpers/campaigns'

/** The campaign routes through HTTP: who may call them, and each problem they answer. */
let platform: TestPlatform
let marketer: string
let analyst: string
let support: string

beforeAll(async () => {
  platform = await startTestPlatform()
  marketer = (await platform.createStaff(['marketer'])).token
  analyst = (await platform.createStaff(['analyst'])).token
  support = (await platform.createStaff(['support'])).token
})
afterAll(() => platform.close())

const create = (body: unknown, token = marketer) => platform.request('POST', '/v1/campaigns', { token, body })
const paths = async (res: Response) => ((await json(res)).errors ?? []).map((e: { path: string }) => e.path).sort()

describe('campaign routes', () => {
  test('a marketer creates a draft, reads it back, lists it and changes it; each change is audited', async () => {
    const res = await create(campaignInput({ budget: '250.5', audience: { churn_band: 'high,medium', min_p_alive: '0.25' } }))
    expect(res.status).toBe(201)
    const created = await json(res)
    expect(res.headers.get('location')).toBe(`/v1/campaigns/${created.id}`)
    expect(created).toMatchObject({ state: 'draft', budget: '250.50', frequency_cap: 3, holdout_share: 0, audience: { churn_band: 'high,medium', min_p_alive: '0.25' } })
    expect(await json(platform.request('GET', `/v1/campaigns/${created.id}`, { token: analyst }))).toEqual(created)
    const list = await json(platform.request('GET', '/v1/campaigns?state=draft', { token: analyst }))
    expect(list.campaigns.map((c: { id: number }) => c.id)).toContain(created.id)

    const patched = await platform.request('PATCH', `/v1/campaigns/${created.id}`, { token: marketer, body: { name: 'Renamed', budget: null, frequency_cap: 2 } })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({ name: 'Renamed', budget: null, frequency_cap: 2, audience: { churn_band: 'high,medium' } })
    const audits = await platform.db.pg.query(`SELECT action FROM audit_log WHERE entity_type = 'campaign' AND entity_id = $1 ORDER BY id`, [String(created.id)])
    expect(audits.map((a) => a.action)).toEqual(['campaign.create', 'campaign.update'])
  })

  test('every cross-field rule is its own 400 problem, named by its path', async () => {
    const res = await create(
      campaignInput({
        valid_until: '2026-05-01T00:00:00Z',
        offer: { kind: 'percent', value: '120', scope: { type: 'category', category: 'baby' } },
        audience: { min_days_since_visit: 30, max_days_since_visit: 10, min_spend: '50', max_spend: '10', min_clv: '100', max_clv: '5' },
        frequency_cap: 4,
        holdout_share: 0.12345,
      }),
    )
    expect(res.status).toBe(400)
    expect(await paths(res)).toEqual(
      ['$.audience.max_clv', '$.audience.max_days_since_visit', '$.audience.max_spend', '$.frequency_cap', '$.holdout_share', '$.offer.value', '$.personalisation', '$.valid_until'].sort(),
    )
    const amount = await create(campaignInput({ personalisation: 'none', offer: { kind: 'amount', value: '5', max_discount: '3', scope: { type: 'category' } } }))
    expect(await paths(amount)).toEqual(['$.offer.max_discount', '$.offer.scope.category'])
    const schema = await create({ name: '', offer: { kind: 'gift' }, extra: 1 })
    expect(await paths(schema)).toEqual(expect.arrayContaining(['$.extra', '$.name', '$.offer.kind', '$.valid_from']))
  })

  test('marketer-only routes refuse analysts and support; reads refuse support', async () => {
    const id = (await json(create(campaignInput()))).id
    expect((await create(campaignInput(), analyst)).status).toBe(403)
    expect((await create(campaignInput(), support)).status).toBe(403)
    expect((await platform.request('PATCH', `/v1/campaigns/${id}`, { token: analyst, body: { name: 'x' } })).status).toBe(403)
    expect((await platform.request('POST', `/v1/campaigns/${id}/preview`, { token: analyst, body: {} })).status).toBe(403)
    expect((await platform.request('GET', `/v1/campaigns/${id}`, { token: support })).status).toBe(403)
    expect((await platform.request('GET', '/v1/campaigns', { token: support })).status).toBe(403)
    expect((await platform.request('GET', '/v1/campaigns')).status).toBe(401)
  })

  test('unknown campaigns are 404, launched ones cannot change (409), a preview without a profiles run is 409, bad queries 400', async () => {
    for (const path of ['/v1/campaigns/999999', '/v1/campaigns/abc']) {
      expect((await platform.request('GET', path, { token: marketer })).status).toBe(404)
      expect((await platform.request('PATCH', path, { token: marketer, body: { name: 'x' } })).status).toBe(404)
      expect((await platform.request('POST', `${path}/preview`, { token: marketer, body: {} })).status).toBe(404)
    }
    const id = (await json(create(campaignInput()))).id
    const badPatch = await platform.request('PATCH', `/v1/campaigns/${id}`, { token: marketer, body: { holdout_share: 0.9 } })
    expect(await paths(badPatch)).toEqual(['$.holdout_share'])
    const badPreview = await platform.request('POST', `/v1/campaigns/${id}/preview`, { token: marketer, body: { assumed_redemption_rate: 2 } })
    expect(await paths(badPreview)).toEqual(['$.assumed_redemption_rate'])
    const noRun = await platform.request('POST', `/v1/campaigns/${id}/preview`, { token: marketer, body: {} })
    expect(noRun.status).toBe(409)
    expect((await json(noRun)).detail).toMatch(/no profiles run/)
    expect((await platform.request('GET', '/v1/campaigns?limit=0', { token: marketer })).status).toBe(400)
    await platform.db.pg.query(`UPDATE campaigns SET state = 'launched' WHERE id = $1`, [id])
    const launched = await platform.request('PATCH', `/v1/campaigns/${id}`, { token: marketer, body: { name: 'x' } })
    expect(launched.status).toBe(409)
  })
})
