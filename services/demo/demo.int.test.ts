import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { prepareDemoTarget } from './demo-platform'
import { seedDemo } from './demo-seed'

/** `npm run demo`'s seeding, tiny, against the platform in-process with its workers and shipper. */

let platform: TestPlatform
let shipper: ReturnType<TestPlatform['shipper']>

beforeAll(async () => {
  platform = await startTestPlatform({ workers: true })
  shipper = platform.shipper()
  shipper.start()
})
afterAll(async () => {
  await shipper.stop()
  await platform.close()
})

test('a small demo: swipes recorded, analytics done, a campaign launched with coupons issued and some redeemed, and its report answers', async () => {
  const today = new Date(new Date().toISOString().slice(0, 10))
  const launchDay = new Date(today.getTime() - 21 * 86_400_000)
  const result = await seedDemo(
    { pg: platform.db.pg, baseUrl: platform.baseUrl, log: () => undefined },
    // Half held out: with a few dozen eligible members a 10 % holdout is empty about one run in ten
    // (the split hashes member ids, which are random), and the test needs both groups.
    { seed: 42, members: 160, stores: 3, launchDay, daysAfter: 21, batch: 2000, holdoutShare: 0.5 },
  )
  expect(result.swipes.accepted).toBeGreaterThan(3000)
  expect(result.swipes.rejected).toBe(0)
  const runs = await platform.db.pg.query<{ kinds: string[]; state: string }>('SELECT kinds, state FROM analytics_runs ORDER BY id')
  expect(runs.filter((r) => r.state === 'done').flatMap((r) => r.kinds).sort()).toEqual(['clv', 'profiles', 'rfm'])
  expect(result.campaign.issued).toBeGreaterThan(0)
  expect(result.campaign.holdout).toBeGreaterThan(0)
  expect(result.campaign.redeemed).toBeGreaterThan(0)
  expect(result.report).toMatchObject({ campaign: { id: result.campaign.id, state: 'launched' } })

  const session = await platform.request('POST', '/v1/staff/sessions', { body: result.staff })
  expect(session.status).toBe(201)
  const me = await json(platform.request('POST', '/v1/me/sessions', { body: { card_number: result.member.card_number, pin: result.member.pin } }))
  expect((await platform.request('GET', '/v1/me/balance', { token: me.token })).status).toBe(200)
})

test('a demo database that holds stores is refused without --reset', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'))
  const target = { databaseUrl: platform.db.url, database: platform.db.name, dataDir, redisUrl: 'redis://127.0.0.1:6379' }
  await platform.stores.createStore(`R-${Date.now()}`, 'Refused')
  await expect(prepareDemoTarget(target, false)).rejects.toThrow(/holds stores: a demo runs on an empty database\. Add --reset/)
  fs.rmSync(dataDir, { recursive: true, force: true })
})
