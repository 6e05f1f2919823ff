import { chRows } from '../../test/helpers/databases'
import { makeClvShoppers, runClv, TEST_CLV_SETTINGS, type ClvShopper } from '../../test/helpers/clv'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { pAlive } from '../clv/bgnbd'
import { discountedExpectedPurchases } from '../clv/clv'
import { expectedSpend } from '../clv/gamma-gamma'

/** GET /v1/members/:id/value and GET /v1/clv through HTTP, over real runs (docs/clv.md "API"). */
let platform: TestPlatform
let marketer: string
let shoppers: ClvShopper[]
let runId: number
const AS_OF = '2026-01-01T00:00:00.000Z'

const get = (path: string, token = marketer) => platform.request('GET', path, { token })
const problemPaths = async (res: Response) => ((await json(res)).errors as { path: string }[]).map((e) => e.path).sort()

interface ScoreRow {
  member_id: string
  x: number
  tx_days: number
  t_days: number
  m: number | null
  p_alive: number
  expected_visits_30: number
  expected_visits_90: number
  expected_visits_365: number
  expected_spend_per_visit: number | null
  clv: string | null
  churn_risk: number
  churn_band: string
}
const scores = (run: number) =>
  chRows<ScoreRow>(platform.ch, 'SELECT * EXCEPT (clv), toDecimalString(clv, 2) AS clv FROM clv_scores WHERE run_id = {run:UInt64} ORDER BY member_id', { run })

beforeAll(async () => {
  platform = await startTestPlatform()
  marketer = (await platform.createStaff(['marketer'])).token
  shoppers = await makeClvShoppers(platform, AS_OF, 200)
})
afterAll(() => platform.close())

test('before a CLV run is published (an RFM-only run does not count): 404 saying so', async () => {
  await runClv(platform, '2025-06-01T00:00:00.000Z', ['rfm'])
  for (const path of [`/v1/members/${shoppers[0]!.memberId}/value`, '/v1/clv']) {
    const res = await get(path)
    expect([path, res.status, (await json(res)).detail]).toEqual([path, 404, 'no CLV run has been published yet'])
  }
})

describe('with a CLV run', () => {
  beforeAll(async () => {
    const result = await runClv(platform, AS_OF)
    runId = result.run_id
    // The data is made so that both fits converge; the rest of the file relies on it.
    expect([result.clv?.bgnbd?.converged, result.clv?.gamma_gamma?.converged]).toEqual([true, true])
  })

  test("a member's value is their clv_scores row, recomputed from services/clv with the run's parameters", async () => {
    const rows = new Map((await scores(runId)).map((row) => [row.member_id, row]))
    const [bgnbd] = await chRows<{ params: Record<string, number> }>(platform.ch, "SELECT params FROM clv_models WHERE run_id = {run:UInt64} AND model = 'bgnbd'", { run: runId })
    const [gg] = await chRows<{ params: Record<string, number> }>(platform.ch, "SELECT params FROM clv_models WHERE run_id = {run:UInt64} AND model = 'gamma_gamma'", { run: runId })
    const bg = bgnbd!.params as { r: number; alpha: number; a: number; b: number }
    const spendParams = gg!.params as { p: number; q: number; gamma: number }
    const picked = [shoppers.find((s) => s.kind === 'lapsed' && s.visits > 5)!, shoppers.find((s) => s.kind === 'active' && s.visits > 5)!, shoppers.find((s) => s.kind === 'once')!]
    const answers = []
    for (const shopper of picked) {
      const res = await get(`/v1/members/${shopper.memberId}/value`)
      expect(res.status).toBe(200)
      const body = await json(res)
      const row = rows.get(shopper.memberId)!
      const [tx, T] = [row.tx_days / 7, row.t_days / 7]
      expect(body).toEqual({
        member_id: shopper.memberId,
        run: { id: runId, as_of: AS_OF, horizon_months: 12, monthly_discount: 0.01, finished_at: AS_OF },
        p_alive: row.p_alive,
        churn_risk: row.churn_risk,
        churn_band: row.churn_band,
        expected_visits_30: row.expected_visits_30,
        expected_visits_90: row.expected_visits_90,
        expected_visits_365: row.expected_visits_365,
        expected_spend_per_visit: row.expected_spend_per_visit!.toFixed(2),
        clv: row.clv,
        history: { x: row.x, t_x_days: row.tx_days, t_x_weeks: tx, T_days: row.t_days, T_weeks: T, m: row.m },
        models: {
          bgnbd: { params: bg, log_likelihood: expect.any(Number), iterations: expect.any(Number), converged: true, members: rows.size, note: '' },
          gamma_gamma: { params: spendParams, log_likelihood: expect.any(Number), iterations: expect.any(Number), converged: true, members: expect.any(Number), note: '' },
        },
      })
      // The same figures from the maths, with the run's parameters.
      expect(body.p_alive).toBeCloseTo(pAlive(bg, row.x, tx, T), 12)
      expect(body.churn_risk).toBeCloseTo(1 - body.p_alive, 12)
      const spend = expectedSpend(spendParams, row.x, row.m ?? 0)
      expect(Number(body.expected_spend_per_visit)).toBeCloseTo(spend, 2)
      const clv = spend * discountedExpectedPurchases(bg, row.x, tx, T, TEST_CLV_SETTINGS.horizonMonths, TEST_CLV_SETTINGS.monthlyDiscount)
      expect(Math.abs(Number(body.clv) - clv)).toBeLessThanOrEqual(0.005 + 1e-9)
      expect(body.clv).toMatch(/^\d+\.\d\d$/)
      answers.push(body)
    }
    const [lapsed, active, once] = answers
    expect(lapsed.p_alive).toBeLessThan(active.p_alive)
    expect(Number(lapsed.clv)).toBeLessThan(Number(active.clv))
    expect(once).toMatchObject({ p_alive: 1, history: { x: 0, t_x_days: 0, m: null } })
  })

  test('GET /v1/clv: models, members valued, bands and deciles as a direct reading of clv_scores says', async () => {
    const body = await json(get('/v1/clv'))
    const rows = await scores(runId)
    const cents = (clv: string | null) => (clv === null ? 0 : Math.round(Number(clv) * 100))
    const total = rows.reduce((sum, row) => sum + cents(row.clv), 0)
    expect(body.run).toEqual({ id: runId, as_of: AS_OF, horizon_months: 12, monthly_discount: 0.01, finished_at: AS_OF })
    expect(body.models.bgnbd).toMatchObject({ converged: true, members: rows.length, params: { r: expect.any(Number), alpha: expect.any(Number), a: expect.any(Number), b: expect.any(Number) } })
    expect(body.models.gamma_gamma).toMatchObject({ converged: true, params: { p: expect.any(Number), q: expect.any(Number), gamma: expect.any(Number) } })
    expect(body).toMatchObject({ members_valued: rows.length, members_without_clv: 0, total_clv: (total / 100).toFixed(2) })
    expect(body.mean_p_alive).toBeCloseTo(rows.reduce((sum, row) => sum + row.p_alive, 0) / rows.length, 10)
    expect(body.churn_bands.map((b: { band: string }) => b.band)).toEqual(['low', 'medium', 'high'])
    for (const band of body.churn_bands) {
      const inBand = rows.filter((row) => row.churn_band === band.band)
      expect(band).toMatchObject({ members: inBand.length, total_clv: (inBand.reduce((sum, row) => sum + cents(row.clv), 0) / 100).toFixed(2) })
    }
    expect(body.churn_bands.filter((b: { members: number }) => b.members > 0).length).toBeGreaterThanOrEqual(2)
    // Deciles: ranked by CLV (highest first, ties by member id), ten groups of 20.
    const ranked = [...rows].sort((a, b) => cents(b.clv) - cents(a.clv) || (a.member_id < b.member_id ? -1 : 1))
    expect(body.clv_deciles.map((d: { decile: number }) => d.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    for (const decile of body.clv_deciles) {
      const group = ranked.slice((decile.decile - 1) * 20, decile.decile * 20)
      expect(decile).toMatchObject({
        members: 20,
        max_clv: group[0]!.clv,
        min_clv: group[19]!.clv,
        total_clv: (group.reduce((sum, row) => sum + cents(row.clv), 0) / 100).toFixed(2),
      })
    }
    expect(body.clv_deciles.reduce((sum: number, d: { clv_share: number }) => sum + d.clv_share, 0)).toBeCloseTo(1, 3)
    expect((await json(get(`/v1/clv?run_id=${runId}`))).run.id).toBe(runId)
  })

  test('floats that are not numbers (a fit that did not converge) are answered as null, in valid JSON', async () => {
    const [run] = await platform.db.pg.query<{ id: number }>(
      "INSERT INTO analytics_runs (kinds, state, as_of, clv_horizon_months, clv_monthly_discount, valued, finished_at) VALUES ('{clv}', 'done', $1, 12, 0.01, 1, $1) RETURNING id::int AS id",
      [AS_OF],
    )
    const member = shoppers[1]!.memberId
    await platform.ch.client.command({
      query: `INSERT INTO clv_scores VALUES ({run:UInt64}, {member:String}, 3, 40, 90, 12.5, nan, nan, inf, -inf, nan, NULL, nan, 'high')`,
      query_params: { run: run!.id, member },
    })
    await platform.ch.client.command({
      query: "INSERT INTO clv_models VALUES ({run:UInt64}, 'bgnbd', map('r', nan, 'alpha', inf, 'a', 1.5, 'b', 2), nan, 5000, 0, 1, 'did not converge')",
      query_params: { run: run!.id },
    })
    const res = await get(`/v1/members/${member}/value`)
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({
      run: { id: run!.id },
      p_alive: null,
      churn_risk: null,
      expected_visits_30: null,
      expected_visits_90: null,
      expected_visits_365: null,
      expected_spend_per_visit: null,
      clv: null,
      history: { x: 3, t_x_days: 40, T_days: 90, m: 12.5 },
      models: { bgnbd: { params: { r: null, alpha: null, a: 1.5, b: 2 }, log_likelihood: null, converged: false, note: 'did not converge' }, gamma_gamma: null },
    })
    const report = await json(get('/v1/clv'))
    expect(report).toMatchObject({ members_valued: 1, members_without_clv: 1, total_clv: '0.00', mean_p_alive: null, clv_deciles: [] })
    // Later tests read the real run again.
    await platform.db.pg.query("UPDATE analytics_runs SET state = 'failed' WHERE id = $1", [run!.id])
  })

  test('404s: an unknown member, one without a value in the run, and a merged member (naming whom it was merged into)', async () => {
    const unknown = await get('/v1/members/mem_doesnotexist/value')
    expect([unknown.status, (await json(unknown)).detail]).toEqual([404, 'no member mem_doesnotexist'])

    const idle = await platform.db.pg.query<{ id: string }>("INSERT INTO members (id, status) VALUES ('mem_idlevalue', 'anonymous') RETURNING id")
    const none = await get(`/v1/members/${idle[0]!.id}/value`)
    expect([none.status, (await json(none)).detail]).toEqual([404, `member mem_idlevalue has no value in CLV run ${runId}: no purchase up to ${AS_OF}`])

    const merged = shoppers[2]!.memberId
    await platform.db.pg.query("UPDATE members SET status = 'merged', merged_into = $2 WHERE id = $1", [merged, shoppers[3]!.memberId])
    const res = await get(`/v1/members/${merged}/value`)
    expect([res.status, (await json(res)).detail]).toEqual([404, `member ${merged} was merged into ${shoppers[3]!.memberId}: its history is that member's value now`])

    const gone = await get('/v1/clv?run_id=999999')
    expect([gone.status, (await json(gone)).detail]).toEqual([404, 'run_id 999999 is not a done CLV run whose scores are kept (unknown, running, failed, without CLV, or pruned by retention)'])
  })

  test('query parameters are validated: 400 naming each problem', async () => {
    expect(await problemPaths(await get(`/v1/members/${shoppers[0]!.memberId}/value?run_id=1&x=2`))).toEqual(['$.run_id', '$.x'])
    expect(await problemPaths(await get('/v1/clv?run_id=abc&extra=1'))).toEqual(['$.extra', '$.run_id'])
  })

  test("roles: a member's value for admin, marketer and support (analyst 403); /v1/clv for admin, marketer and analyst (support 403); member tokens 401", async () => {
    const valuePath = `/v1/members/${shoppers[0]!.memberId}/value`
    const tokens = Object.fromEntries(await Promise.all((['admin', 'marketer', 'support', 'analyst'] as const).map(async (role) => [role, (await platform.createStaff([role])).token] as const)))
    const statuses = async (path: string) => Object.fromEntries(await Promise.all(Object.entries(tokens).map(async ([role, token]) => [role, (await get(path, token)).status])))
    expect(await statuses(valuePath)).toEqual({ admin: 200, marketer: 200, support: 200, analyst: 403 })
    expect(await statuses('/v1/clv')).toEqual({ admin: 200, marketer: 200, support: 403, analyst: 200 })
    for (const path of [valuePath, '/v1/clv']) {
      expect((await get(path, platform.memberToken(shoppers[0]!.memberId))).status).toBe(401)
      expect((await get(path, '')).status).toBe(401)
    }
  })
})
