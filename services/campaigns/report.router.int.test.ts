import { insertAssignments, insertCampaign, makeAssigned } from '../../test/helpers/campaign-report'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { makeMember } from '../../test/helpers/members'

/** GET /v1/campaigns/:id/report: who may read it, and the answers that are not a report. */

let t: TestPlatform
let launched: string

beforeAll(async () => {
  t = await startTestPlatform({ clock: () => new Date('2026-03-01T00:00:00Z') })
  launched = await insertCampaign(t.db.pg, { validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-02-01T00:00:00Z' })
  await insertAssignments(t.ch, launched, [...makeAssigned('treated', 3), ...makeAssigned('holdout', 1)])
})
afterAll(() => t.close())

const get = async (path: string, token?: string) => {
  const res = await t.request('GET', path, { token })
  return { status: res.status, body: await json(res) }
}
const staff = async (...roles: Parameters<TestPlatform['createStaff']>[0]) => (await t.createStaff(roles)).token

test('marketers, analysts and admins read the report; support is refused; no token is a 401', async () => {
  for (const role of ['marketer', 'analyst', 'admin'] as const) {
    const { status, body } = await get(`/v1/campaigns/${launched}/report`, await staff(role))
    expect({ role, status }).toEqual({ role, status: 200 })
    expect(body.groups.treated.members).toBe(3)
  }
  expect((await get(`/v1/campaigns/${launched}/report`, await staff('support'))).status).toBe(403)
  expect((await get(`/v1/campaigns/${launched}/report`)).status).toBe(401)
  expect((await get(`/v1/campaigns/${launched}/report`, t.memberToken((await makeMember(t.db.pg)).memberId))).status).toBe(401)
})

test('an unknown campaign is a 404; a draft, or a launch that has not assigned yet, a 409', async () => {
  const token = await staff('analyst')
  expect((await get('/v1/campaigns/999999999/report', token)).status).toBe(404)
  expect((await get(`/v1/campaigns/cmp_${launched}/report`, token)).status).toBe(404)
  expect((await get('/v1/campaigns/not-a-campaign/report', token)).status).toBe(404)
  const draft = await insertCampaign(t.db.pg, { validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-02-01T00:00:00Z', state: 'draft' })
  const draftAnswer = await get(`/v1/campaigns/${draft}/report`, token)
  expect(draftAnswer).toMatchObject({ status: 409, body: { code: 'conflict', detail: expect.stringContaining('draft') } })
  const launching = await insertCampaign(t.db.pg, { validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-02-01T00:00:00Z', state: 'launching', assigned: false })
  expect((await get(`/v1/campaigns/${launching}/report`, token)).status).toBe(409)
})

test('bad query parameters are 400s naming the parameter', async () => {
  const token = await staff('marketer')
  const path = `/v1/campaigns/${launched}/report`
  const problems = async (query: string) => {
    const { status, body } = await get(`${path}?${query}`, token)
    expect(status).toBe(400)
    return body.errors.map((e: { path: string }) => e.path)
  }
  expect(await problems('margin=0')).toEqual(['$.margin'])
  expect(await problems('margin=1.5')).toEqual(['$.margin'])
  expect(await problems('margin=0.12345')).toEqual(['$.margin'])
  expect(await problems('from=yesterday')).toEqual(['$.from'])
  expect(await problems('colour=red')).toHaveLength(1)
  // Outside the campaign's validity, or an empty window.
  expect(await problems('from=2025-12-31T00:00:00Z')).toEqual(['$.from'])
  expect(await problems('to=2026-02-02T00:00:00Z')).toEqual(['$.to'])
  expect(await problems('from=2026-01-10T00:00:00Z&to=2026-01-10T00:00:00Z')).toEqual(['$.to'])
})
