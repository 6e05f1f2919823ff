import crypto from 'node:crypto'
import { chRows, createTestClickHouse, createTestPostgres, type TestPostgres } from '../test/helpers/databases'
import { insertSwipes, mapCards } from '../test/helpers/analytics'
import { makeCardNumber } from '../test/helpers/factories'
import type { ClickHouse } from '../services/platform/clickhouse'
import { makeMember, pointsState } from '../test/helpers/members'
import { TEST_REDIS_URL } from '../test/helpers/test-env'
import { createLogger } from '../services/platform/logger'
import { addLot } from '../services/points/ledger.fixtures'
import { loadConfig } from '../services/platform/config'
import { queuePrefix } from './registry'
import { startJobs, type Jobs } from './start-jobs'

let db: TestPostgres
let ch: ClickHouse
let jobs: Jobs

beforeAll(async () => {
  db = await createTestPostgres()
  ch = await createTestClickHouse()
  jobs = await startJobs({
    connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null },
    pg: db.pg,
    ch,
    logger: createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }),
    // A prefix of this file's own: its queues never meet another run's.
    config: { ...loadConfig({}), QUEUE_PREFIX: `test-${crypto.randomBytes(6).toString('hex')}`, POINTS_EXPIRY_MONTHS: 24 },
  })
})
afterAll(async () => {
  for (const queue of Object.values(jobs.queues)) await queue.obliterate({ force: true })
  await jobs.close()
  await ch.close()
  await db.drop()
})

/** The job's final state, once it has one (the test's timeout bounds the wait). */
async function settled(id: string): Promise<string> {
  for (;;) {
    const { state } = (await jobs.get(id))!
    if (state === 'completed' || state === 'failed') return state
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

test('the default queue prefix is named after the database, so platforms sharing a Redis never share jobs', () => {
  expect(queuePrefix({}, 'postgres://postgres@127.0.0.1:5432/loyalty')).toBe('loyalty-loyalty')
  expect(queuePrefix({ QUEUE_PREFIX: 'mine' }, 'postgres://postgres@127.0.0.1:5432/loyalty')).toBe('mine')
})

test('every job is scheduled by cron from the registry', async () => {
  const expire = await jobs.queues['expire-points'].getJobSchedulers()
  const review = await jobs.queues['review-tiers'].getJobSchedulers()
  expect(expire).toEqual([expect.objectContaining({ key: 'expire-points', pattern: '15 2 * * *', tz: 'UTC' })])
  expect(review).toEqual([expect.objectContaining({ key: 'review-tiers', pattern: '30 3 1 1,4,7,10 *' })])
  expect(await jobs.queues.analytics.getJobSchedulers()).toEqual([expect.objectContaining({ key: 'analytics', pattern: '0 4 * * *' })])
})

test('the expire-points worker runs a job to completion: lots due are expired, progress is reported', async () => {
  const member = await makeMember(db.pg, { points: 10 })
  await addLot(db.pg, member.memberId, 35, new Date('2024-01-10T00:00:00Z')) // expires 2026-01-11
  const id = await jobs.enqueue('expire-points', { as_of: '2026-02-01T00:00:00Z' })
  expect(await settled(id)).toBe('completed')
  const job = (await jobs.get(id))!
  expect(job.result).toEqual({ members: 1, entries: 1, points: 35, batches: 1 })
  expect(job.progress).toEqual({ members: 1, entries: 1, points: 35, batches: 1 })
  expect(await pointsState(db.pg, member.memberId)).toEqual({ balance: 10, ledger: 10, lots: 10 })
})

test('the review-tiers worker places members by spend', async () => {
  const member = await makeMember(db.pg, { tier: 'gold' })
  const id = await jobs.enqueue('review-tiers', { as_of: '2026-04-01T03:30:00Z' })
  expect(await settled(id)).toBe('completed')
  const [account] = await db.pg.query('SELECT tier, tier_floor FROM point_accounts WHERE member_id = $1', [member.memberId])
  expect(account).toEqual({ tier: 'bronze', tier_floor: 'bronze' })
})

test('a job whose payload does not parse fails at once, without retries, and stays in the dead-letter view', async () => {
  const job = await jobs.queues['expire-points'].add('expire-points', { as_of: 'yesterday' })
  expect(await settled(`expire-points.${job.id}`)).toBe('failed')
  const dead = await jobs.list('expire-points', 'failed')
  expect(dead).toEqual([expect.objectContaining({ id: `expire-points.${job.id}`, attempts_made: 1, failed_reason: expect.stringContaining('as_of') })])
  await expect(jobs.enqueue('expire-points', { as_of: 'yesterday' })).rejects.toThrow()
})

test('an analytics job runs profiles, RFM and CLV as of its creation, reports each stage, and records its run with the job id', async () => {
  const card = makeCardNumber()
  const member = await mapCards(db.pg, [card])
  await insertSwipes(ch, [{ card, at: new Date(Date.now() - 86_400_000).toISOString(), lines: [{ sku: 'A', category: 'Dairy', quantity: '1', unit_price: '4.20' }] }])
  const id = await jobs.enqueue('analytics', {})
  expect(id).toMatch(/^analytics\.\d+$/)
  expect(await settled(id)).toBe('completed')
  const job = (await jobs.get(id))!
  expect(job.result).toMatchObject({ profiles: 1, scored: 1, valued: 1 })
  // The last progress report is the last stage's start.
  expect(job.progress).toMatchObject({ stage: 'publish', done: 4, stages: 5 })
  const runId = (job.result as { run_id: number }).run_id
  const [run] = await db.pg.query('SELECT state, kinds, job_id, as_of FROM analytics_runs WHERE id = $1', [runId])
  expect(run).toEqual({ state: 'done', kinds: ['profiles', 'rfm', 'clv'], job_id: id, as_of: new Date(job.created_at) })
  expect(await chRows(ch, 'SELECT member_id FROM rfm_scores WHERE run_id = {id:UInt64}', { id: runId })).toEqual([{ member_id: member }])
})

test('a job id that names no queue, or no job, finds nothing', async () => {
  expect(await jobs.get('nothing.1')).toBeUndefined()
  expect(await jobs.get('analytics.999999')).toBeUndefined()
  expect(await jobs.get('analytics')).toBeUndefined()
})
