import { insertSwipes, mapCards } from '../../test/helpers/analytics'
import { makeCardNumber } from '../../test/helpers/factories'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

let platform: TestPlatform
let analyst: string
let marketer: string
let support: string

beforeAll(async () => {
  platform = await startTestPlatform({ workers: true })
  ;({ token: analyst } = await platform.createStaff(['analyst']))
  ;({ token: marketer } = await platform.createStaff(['marketer']))
  ;({ token: support } = await platform.createStaff(['support']))
})
afterAll(() => platform.close())

/** GET /v1/jobs/:id until the job has finished (the test's timeout bounds the wait). */
async function finished(id: string, token: string) {
  for (;;) {
    const job = await json(platform.request('GET', `/v1/jobs/${id}`, { token }))
    if (job.state === 'completed' || job.state === 'failed') return job
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

test('POST /v1/segments/rfm/recompute answers a job id at once; GET /v1/jobs/:id follows it to the run it wrote', async () => {
  const card = makeCardNumber()
  const member = await mapCards(platform.db.pg, [card])
  await insertSwipes(platform.ch, [{ card, at: '2026-03-01T12:00:00+01:00', lines: [{ sku: 'A', category: 'Dairy', quantity: '1', unit_price: '3.00' }] }])

  const res = await platform.request('POST', '/v1/segments/rfm/recompute', { token: analyst, body: { as_of: '2026-04-01T00:00:00Z', window_days: 90 } })
  expect(res.status).toBe(202)
  const { job_id, status_url } = await json(res)
  expect(res.headers.get('location')).toBe(status_url)
  expect(status_url).toBe(`/v1/jobs/${job_id}`)

  const job = await finished(job_id, analyst)
  expect(job).toMatchObject({ id: job_id, queue: 'analytics', state: 'completed', data: { kinds: ['rfm'], as_of: '2026-04-01T00:00:00Z', rfm_window_days: 90 } })
  expect(job.result).toMatchObject({ profiles: 0, scored: 1 })
  const [run] = await platform.db.pg.query('SELECT kinds, as_of, rfm_window_days, profile_window_days FROM analytics_runs WHERE id = $1', [job.result.run_id])
  expect(run).toEqual({ kinds: ['rfm'], as_of: new Date('2026-04-01T00:00:00Z'), rfm_window_days: 90, profile_window_days: null })
  const scores = await platform.ch.client.query({ query: 'SELECT member_id FROM rfm_scores WHERE run_id = {id:UInt64}', query_params: { id: job.result.run_id }, format: 'JSONEachRow' })
  expect(await scores.json()).toEqual([{ member_id: member }])
})

test('POST /v1/profiles/recompute runs profiles only, and the job shows in the completed list', async () => {
  const res = await platform.request('POST', '/v1/profiles/recompute', { token: marketer })
  expect(res.status).toBe(202)
  const { job_id } = await json(res)
  const job = await finished(job_id, marketer)
  expect(job).toMatchObject({ state: 'completed', data: { kinds: ['profiles'] } })
  const listed = await json(platform.request('GET', '/v1/jobs?queue=analytics&state=completed', { token: support }))
  expect(listed.jobs.map((j: { id: string }) => j.id)).toContain(job_id)
})

test('POST /v1/clv/recompute runs CLV with the horizon and discount asked for, recorded with the run', async () => {
  const res = await platform.request('POST', '/v1/clv/recompute', { token: analyst, body: { horizon_months: 6, monthly_discount: 0.02 } })
  expect(res.status).toBe(202)
  const job = await finished((await json(res)).job_id, analyst)
  expect(job).toMatchObject({ state: 'completed', data: { kinds: ['clv'], clv_horizon_months: 6, clv_monthly_discount: 0.02 } })
  const [run] = await platform.db.pg.query('SELECT kinds, clv_horizon_months, clv_monthly_discount::float AS d FROM analytics_runs WHERE id = $1', [job.result.run_id])
  expect(run).toEqual({ kinds: ['clv'], clv_horizon_months: 6, d: 0.02 })
  const bad = await platform.request('POST', '/v1/clv/recompute', { token: analyst, body: { horizon_months: 0, monthly_discount: 2 } })
  expect((await json(bad)).errors.map((e: { path: string }) => e.path).sort()).toEqual(['$.horizon_months', '$.monthly_discount'])
})

test('a recompute with bad input is refused with each problem named, and nothing is queued', async () => {
  const before = await platform.jobs.queues.analytics.count()
  const bad = await platform.request('POST', '/v1/segments/rfm/recompute', { token: analyst, body: { window_days: 0, colour: 'red' } })
  expect(bad.status).toBe(400)
  const problem = await json(bad)
  expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(['$.colour', '$.window_days'])
  const future = await platform.request('POST', '/v1/segments/rfm/recompute', { token: analyst, body: { as_of: '2999-01-01T00:00:00Z' } })
  expect(future.status).toBe(400)
  expect((await json(future)).errors).toEqual([{ path: '$.as_of', message: 'must not be later than now' }])
  expect(await platform.jobs.queues.analytics.count()).toBe(before)
})

test('only marketers and analysts may recompute; only staff may read jobs', async () => {
  expect((await platform.request('POST', '/v1/segments/rfm/recompute', { token: support })).status).toBe(403)
  expect((await platform.request('POST', '/v1/profiles/recompute')).status).toBe(401)
  expect((await platform.request('GET', '/v1/jobs/analytics.1')).status).toBe(401)
  const member = await mapCards(platform.db.pg, [makeCardNumber()], 'active')
  expect((await platform.request('GET', '/v1/jobs/analytics.1', { token: platform.memberToken(member) })).status).toBe(401)
})

test('an unknown job is a 404, a malformed id or queue a 400', async () => {
  expect((await platform.request('GET', '/v1/jobs/analytics.999999', { token: analyst })).status).toBe(404)
  expect((await platform.request('GET', '/v1/jobs/nope.1', { token: analyst })).status).toBe(404)
  expect((await platform.request('GET', '/v1/jobs/no%20dot', { token: analyst })).status).toBe(400)
  const badList = await platform.request('GET', '/v1/jobs?queue=nope&state=gone', { token: analyst })
  expect(badList.status).toBe(400)
  expect((await json(badList)).errors.map((e: { path: string }) => e.path).sort()).toEqual(['$.queue', '$.state'])
})
