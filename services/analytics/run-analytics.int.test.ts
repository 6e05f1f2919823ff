import { chRows, useTestDatabases } from '../../test/helpers/databases'
import { insertSwipes, mapCards } from '../../test/helpers/analytics'
import { makeCardNumber } from '../../test/helpers/factories'
import { createLogger } from '../platform/logger'
import { runAnalytics } from './run-analytics'

const t = useTestDatabases()
const logger = createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' })

test('a run copies the card map, writes profiles and scores under its id, publishes itself and drops the map', async () => {
  const card = makeCardNumber()
  const member = await mapCards(t.db.pg, [card])
  await insertSwipes(t.ch, [
    { card, at: '2026-01-10T10:00:00+01:00', lines: [{ sku: 'A', category: 'Dairy', quantity: '1', unit_price: '2.00' }] },
    { card, at: '2026-01-12T18:00:00+01:00', lines: [{ sku: 'B', category: 'Bakery', quantity: '2', unit_price: '1.50' }] },
  ])
  const result = await runAnalytics(
    { pg: t.db.pg, ch: t.ch, logger, clock: () => new Date('2026-02-01T00:00:00Z') },
    { kinds: ['profiles', 'rfm'], asOf: new Date('2026-02-01T00:00:00Z'), profileWindowDays: 365, rfmWindowDays: 365 },
    { profileKeepRuns: 2, rfmKeepDays: 730 },
  )
  expect(result).toMatchObject({ cards: 1, profiles: 1, scored: 1 })
  const [run] = await t.db.pg.query('SELECT state, kinds, cards, profiles, scored FROM analytics_runs WHERE id = $1', [result.run_id])
  expect(run).toEqual({ state: 'done', kinds: ['profiles', 'rfm'], cards: 1, profiles: 1, scored: 1 })
  expect(await chRows(t.ch, 'SELECT member_id, spend FROM member_profiles WHERE run_id = {id:UInt64}', { id: result.run_id })).toEqual([{ member_id: member, spend: '5' }])
  expect(await chRows(t.ch, 'SELECT count() AS n FROM card_members')).toEqual([{ n: '0' }])
})

/** A run of both kinds over this file's data, as of `asOf`, with the clock at `now`. */
const run = (asOf: string, now = asOf, retention = { profileKeepRuns: 2, rfmKeepDays: 730 }, onProgress?: Parameters<typeof runAnalytics>[3]) =>
  runAnalytics(
    { pg: t.db.pg, ch: t.ch, logger, clock: () => new Date(now) },
    { kinds: ['profiles', 'rfm'], asOf: new Date(asOf), profileWindowDays: 365, rfmWindowDays: 365 },
    retention,
    onProgress,
  )

const rowsOf = async (table: string, runId: number) =>
  Number((await chRows<{ n: string }>(t.ch, `SELECT count() AS n FROM ${table} WHERE run_id = {id:UInt64}`, { id: runId }))[0]!.n)

test('a run that fails midway is marked failed, with its reason, and leaves no rows behind', async () => {
  let runId = 0
  await expect(
    run('2026-02-01T00:00:00Z', undefined, undefined, ({ run_id, stage }) => {
      runId = run_id
      if (stage === 'rfm') throw new Error('worker lost')
    }),
  ).rejects.toThrow('worker lost')
  const [state] = await t.db.pg.query('SELECT state, error, finished_at IS NOT NULL AS finished FROM analytics_runs WHERE id = $1', [runId])
  expect(state).toEqual({ state: 'failed', error: 'worker lost', finished: true })
  // The profiles were written before the failure; they are gone with the card map.
  for (const table of ['card_members', 'member_profiles', 'rfm_scores', 'rfm_segment_sizes']) expect(await rowsOf(table, runId)).toBe(0)
})

test('retention keeps the newest profile runs and the RFM snapshots of the kept days, and notes what it dropped', async () => {
  const first = await run('2026-02-01T00:00:00Z')
  const second = await run('2026-02-02T00:00:00Z')
  expect(await rowsOf('member_profiles', first.run_id)).toBeGreaterThan(0)
  // Two more runs, the last one with the clock 730.5 days after the second: the first two runs' profiles are beyond the newest
  // two, and their RFM snapshots finished more than 730 days before it.
  const third = await run('2026-02-03T00:00:00Z')
  const fourth = await run('2026-02-04T00:00:00Z', '2028-02-02T12:00:00Z')
  for (const old of [first, second]) {
    expect(await rowsOf('member_profiles', old.run_id)).toBe(0)
    expect(await rowsOf('rfm_scores', old.run_id)).toBe(0)
    expect(await rowsOf('rfm_segment_sizes', old.run_id)).toBe(0)
  }
  expect(await rowsOf('member_profiles', third.run_id)).toBeGreaterThan(0)
  expect(await rowsOf('member_profiles', fourth.run_id)).toBeGreaterThan(0)
  expect(await rowsOf('rfm_scores', third.run_id)).toBeGreaterThan(0)
  const pruned = await t.db.pg.query('SELECT id::int AS id, pruned FROM analytics_runs WHERE id = ANY ($1) ORDER BY id', [[first.run_id, second.run_id, third.run_id]])
  expect(pruned).toEqual([
    { id: first.run_id, pruned: ['profiles', 'rfm'] },
    { id: second.run_id, pruned: ['profiles', 'rfm'] },
    { id: third.run_id, pruned: [] },
  ])
})

test("retention drops old CLV runs' member values but keeps their models' parameters and diagnostics", async () => {
  const clvRun = (asOf: string) =>
    runAnalytics(
      { pg: t.db.pg, ch: t.ch, logger, clock: () => new Date(asOf) },
      { kinds: ['clv'], asOf: new Date(asOf), profileWindowDays: 365, rfmWindowDays: 365, clv: { horizonMonths: 12, monthlyDiscount: 0.01, gammaGammaFitMembers: 1000 } },
      { profileKeepRuns: 2, rfmKeepDays: 730 },
    )
  const first = await clvRun('2026-03-01T00:00:00Z')
  await clvRun('2026-03-02T00:00:00Z')
  expect(await rowsOf('clv_scores', first.run_id)).toBeGreaterThan(0)
  await clvRun('2026-03-03T00:00:00Z')
  expect(await rowsOf('clv_scores', first.run_id)).toBe(0)
  expect(await rowsOf('clv_models', first.run_id)).toBeGreaterThan(0)
  const [run] = await t.db.pg.query('SELECT pruned FROM analytics_runs WHERE id = $1', [first.run_id])
  expect(run).toEqual({ pruned: ['clv'] })
})
