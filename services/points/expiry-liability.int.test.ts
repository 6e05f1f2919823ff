import { makeMember, pointsState } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { expirePoints } from './expire-points'
import { book, lockAccounts } from './ledger'
import { addLot, lotsOf } from './ledger.fixtures'
import { liabilityReport } from './liability'

/**
 * One database, a fixed timeline: expiry is 12 months here so lots earned in 2025 expire in
 * 2026. "Now" is 2026-06-15; the report's months are UTC calendar months.
 */
const NOW = new Date('2026-06-15T10:00:00Z')
let platform: TestPlatform
const pg = () => platform.db.pg

beforeAll(async () => {
  platform = await startTestPlatform({ clock: () => NOW })
})
afterAll(() => platform.close())

const earn = (memberId: string, points: number, earnedAt: string) => addLot(pg(), memberId, points, new Date(earnedAt), 12)

describe('expirePoints', () => {
  test('expires exactly the lots due, keeps the invariant, books one entry per member and expiry instant, and books nothing when re-run', async () => {
    const a = await makeMember(pg())
    const b = await makeMember(pg())
    await earn(a.memberId, 40, '2025-03-10T09:00:00Z') // expires 2026-03-11T00:00Z
    await earn(a.memberId, 15, '2025-05-02T09:00:00Z') // expires 2026-05-03T00:00Z
    const keptA = await earn(a.memberId, 25, '2025-08-01T09:00:00Z') // expires 2026-08-02: kept
    await earn(b.memberId, 9, '2025-06-14T23:59:00Z') // expires 2026-06-15T00:00Z ≤ now
    const progress: number[] = []
    const first = await expirePoints({ pg: pg(), now: NOW, batchSize: 1, onProgress: (p) => void progress.push(p.points) })
    expect(first).toEqual({ members: 2, entries: 3, points: 64, batches: 2 })
    expect(progress).toHaveLength(2) // one batch per member
    expect(progress.at(-1)).toBe(64)
    expect(await pointsState(pg(), a.memberId)).toEqual({ balance: 25, ledger: 25, lots: 25 })
    expect(await pointsState(pg(), b.memberId)).toEqual({ balance: 0, ledger: 0, lots: 0 })
    expect((await lotsOf(pg(), a.memberId)).filter(([, left]) => left > 0)).toEqual([[keptA, 25]])
    const entries = await pg().query<{ points: string; occurred_at: Date; source_id: string }>(
      "SELECT points, occurred_at, source_id FROM points_ledger WHERE member_id = $1 AND kind = 'expire' ORDER BY occurred_at",
      [a.memberId],
    )
    expect(entries.map((e) => [Number(e.points), e.occurred_at.toISOString(), e.source_id])).toEqual([
      [-40, '2026-03-11T00:00:00.000Z', 'expire-points'],
      [-15, '2026-05-03T00:00:00.000Z', 'expire-points'],
    ])
    expect(await expirePoints({ pg: pg(), now: NOW, batchSize: 100 })).toEqual({ members: 0, entries: 0, points: 0, batches: 0 })
    expect(await pointsState(pg(), a.memberId)).toEqual({ balance: 25, ledger: 25, lots: 25 })
  })

  test('points partly redeemed expire only what is left of the lot', async () => {
    const m = await makeMember(pg())
    await earn(m.memberId, 30, '2025-04-01T00:00:00Z') // expires 2026-04-02
    await earn(m.memberId, 10, '2025-09-01T00:00:00Z')
    await pg().transaction(async (tx) => {
      const accounts = await lockAccounts(tx, [m.memberId])
      const redeem = { memberId: m.memberId, kind: 'redeem' as const, points: -12, reason: 'test', source: { type: 'system' as const } }
      await book(tx, accounts, [{ ...redeem, occurredAt: new Date('2026-01-10T00:00:00Z') }], { expiryMonths: 12 })
    })
    const result = await expirePoints({ pg: pg(), now: NOW, batchSize: 10 })
    expect(result.points).toBe(18)
    expect(await pointsState(pg(), m.memberId)).toEqual({ balance: 10, ledger: 10, lots: 10 })
  })
})

describe('liability report', () => {
  test('outstanding points, expiry per future month and breakage per past month, as integers', async () => {
    // The database holds what the expiry tests left (balances 25 + 0 + 10, breakage 40 in
    // March, 15+18 in April-May, 9 in June) plus what this test adds.
    const m = await makeMember(pg())
    await earn(m.memberId, 100, '2025-07-20T12:00:00Z') // expires 2026-07-21
    await earn(m.memberId, 7, '2025-06-01T00:00:00Z') // expired 2026-06-02, not yet swept
    const report = await liabilityReport(pg(), NOW, 6)
    expect(report).toMatchObject({
      outstanding_points: 142,
      members_with_points: 3,
      debt_points: 0,
      lots_remaining: 142,
      expired_unswept: 7,
    })
    expect(report.expiry_by_month.slice(0, 3)).toEqual([
      { month: '2026-06', points: 0 },
      { month: '2026-07', points: 100 },
      { month: '2026-08', points: 25 },
    ])
    expect(report.expiry_by_month.length).toBeGreaterThanOrEqual(12)
    expect(report.expiry_by_month.reduce((sum, m) => sum + m.points, 0)).toBe(135)
    expect(report.breakage_by_month).toEqual([
      { month: '2026-01', points: 0 },
      { month: '2026-02', points: 0 },
      { month: '2026-03', points: 40 },
      { month: '2026-04', points: 18 },
      { month: '2026-05', points: 15 },
      { month: '2026-06', points: 9 },
    ])
  })

  test('GET /v1/points/liability is for analysts and admins', async () => {
    const analyst = await platform.createStaff(['analyst'])
    const res = await platform.request('GET', '/v1/points/liability?months=3', { token: analyst.token })
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body.breakage_by_month.map((m: { month: string }) => m.month)).toEqual(['2026-04', '2026-05', '2026-06'])
    expect(Number.isInteger(body.outstanding_points)).toBe(true)
    for (const role of ['marketer', 'support'] as const) {
      const staff = await platform.createStaff([role])
      expect((await platform.request('GET', '/v1/points/liability', { token: staff.token })).status).toBe(403)
    }
    expect((await platform.request('GET', '/v1/points/liability')).status).toBe(401)
  })
})
