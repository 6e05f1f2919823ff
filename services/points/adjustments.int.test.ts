import { lockWaiters } from '../../test/helpers/locks'
import { makeMember, pointsState } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { mergeMembers } from '../members/merge-members'
import { addLot } from './ledger.fixtures'

let platform: TestPlatform
let support: { userId: string; token: string }

beforeAll(async () => {
  platform = await startTestPlatform()
  support = await platform.createStaff(['support'])
})
afterAll(() => platform.close())

const adjust = (memberId: string, body: unknown, token = support.token) =>
  platform.request('POST', `/v1/members/${memberId}/points/adjustments`, { token, body })
const state = (memberId: string) => pointsState(platform.db.pg, memberId)

const auditOf = (memberId: string) =>
  platform.db.pg.query('SELECT actor_type, actor_id, action, before, after, request_id FROM audit_log WHERE entity_id = $1 ORDER BY id', [memberId])

describe('POST /v1/members/:id/points/adjustments', () => {
  test('adding opens a lot and is audited with the balance before and after', async () => {
    const member = await makeMember(platform.db.pg, { points: 10 })
    const res = await adjust(member.memberId, { points: 250, reason: 'goodwill: damaged delivery' })
    expect(res.status).toBe(201)
    const body = await json(res)
    expect(body).toMatchObject({ member_id: member.memberId, points: 250, balance_before: 10, balance: 260, reason: 'goodwill: damaged delivery' })
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.now() + 700 * 86_400_000)
    expect(await state(member.memberId)).toEqual({ balance: 260, ledger: 260, lots: 260 })
    const [entry] = await auditOf(member.memberId)
    expect(entry).toMatchObject({
      actor_type: 'staff',
      actor_id: support.userId,
      action: 'points.adjust',
      before: { balance: 10 },
      after: { balance: 260, points: 250, reason: 'goodwill: damaged delivery', ledger_id: body.ledger_id },
    })
    expect(entry!.request_id).toBe(res.headers.get('x-request-id'))
    const [ledger] = await platform.db.pg.query('SELECT kind, source_type, source_id FROM points_ledger WHERE id = $1', [body.ledger_id])
    expect(ledger).toEqual({ kind: 'adjust', source_type: 'staff', source_id: support.userId })
  })

  test('taking away never overdraws the usable points, and says how many there are', async () => {
    const member = await makeMember(platform.db.pg, { points: 30 })
    await addLot(platform.db.pg, member.memberId, 20, new Date(Date.now() - 800 * 86_400_000)) // expired, not swept
    const refused = await adjust(member.memberId, { points: -31, reason: 'correction' })
    expect(refused.status).toBe(409)
    expect(await json(refused)).toMatchObject({ code: 'insufficient_points', available: 30, requested: 31 })
    expect(await auditOf(member.memberId)).toEqual([])
    const ok = await adjust(member.memberId, { points: -30, reason: 'correction' })
    expect(ok.status).toBe(201)
    expect(await json(ok)).toMatchObject({ balance_before: 50, balance: 20, expires_at: null })
    expect(await state(member.memberId)).toEqual({ balance: 20, ledger: 20, lots: 20 })
  })

  test('an unknown member is 404; bad input is a 400 naming each field', async () => {
    expect((await adjust('mem_doesnotexist', { points: 5, reason: 'x y z' })).status).toBe(404)
    const member = await makeMember(platform.db.pg)
    const res = await adjust(member.memberId, { points: 0, reason: 'card 4111 1111 1111 1111', extra: true })
    expect(res.status).toBe(400)
    const paths = (await json(res)).errors.map((e: { path: string }) => e.path).sort()
    expect(paths).toEqual(['$.extra', '$.points', '$.reason'])
  })

  test('a merged member cannot be adjusted: 409 naming the member it was merged into', async () => {
    const source = await makeMember(platform.db.pg, { points: 10 })
    const target = await makeMember(platform.db.pg)
    await platform.db.pg.transaction((tx) =>
      mergeMembers(tx, { targetId: target.memberId, sourceId: source.memberId, reason: 'duplicate', actor: { type: 'system', id: null }, now: new Date(), expiryMonths: 24 }),
    )
    const res = await adjust(source.memberId, { points: 5, reason: 'goodwill' })
    expect(res.status).toBe(409)
    expect(await json(res)).toMatchObject({ code: 'member_merged' })
    expect(await state(source.memberId)).toEqual({ balance: 0, ledger: 0, lots: 0 })
  })

  test('an adjustment waiting on a merge of its member is refused once the merge commits, and moves nothing', async () => {
    const source = await makeMember(platform.db.pg, { points: 10 })
    const target = await makeMember(platform.db.pg)
    const { pending } = await platform.db.pg.transaction(async (tx) => {
      await mergeMembers(tx, { targetId: target.memberId, sourceId: source.memberId, reason: 'duplicate', actor: { type: 'system', id: null }, now: new Date(), expiryMonths: 24 })
      const pending = adjust(source.memberId, { points: 5, reason: 'goodwill' })
      await lockWaiters(platform.db.pg)
      return { pending } // not awaited here: it is answered once the merge commits
    })
    const res = await pending
    expect(res.status).toBe(409)
    expect(await json(res)).toMatchObject({ code: 'member_merged' })
    expect(await state(source.memberId)).toEqual({ balance: 0, ledger: 0, lots: 0 })
    expect(await state(target.memberId)).toEqual({ balance: 10, ledger: 10, lots: 10 })
    expect(await auditOf(source.memberId)).toHaveLength(1) // the merge's, no adjustment
  })

  test('only support and admin may adjust', async () => {
    const member = await makeMember(platform.db.pg, { points: 10 })
    const body = { points: 5, reason: 'goodwill' }
    for (const role of ['marketer', 'analyst'] as const) {
      const staff = await platform.createStaff([role])
      expect((await adjust(member.memberId, body, staff.token)).status).toBe(403)
    }
    expect((await adjust(member.memberId, body, platform.memberToken(member.memberId))).status).toBe(401)
    expect((await platform.request('POST', `/v1/members/${member.memberId}/points/adjustments`, { body })).status).toBe(401)
    const admin = await platform.createStaff(['admin'])
    expect((await adjust(member.memberId, body, admin.token)).status).toBe(201)
    expect((await state(member.memberId)).balance).toBe(15)
  })
})

describe('GET /v1/members/:id/ledger', () => {
  test('pages newest first by id, and the pages join up to the whole ledger', async () => {
    const member = await makeMember(platform.db.pg, { points: 100 })
    for (const points of [5, -3, 7, -2]) expect((await adjust(member.memberId, { points, reason: `step ${points}` })).status).toBe(201)
    const seen: number[] = []
    let before: string | null = null
    do {
      const query: string = before ? `?limit=2&before=${before}` : '?limit=2'
      const page = await json(platform.request('GET', `/v1/members/${member.memberId}/ledger${query}`, { token: support.token }))
      seen.push(...page.entries.map((e: { points: number }) => e.points))
      before = page.next_before
    } while (before)
    expect(seen).toEqual([-2, 7, -3, 5, 100])
  })

  test('analysts may read it; marketers may not; an unknown member is 404', async () => {
    const member = await makeMember(platform.db.pg, { points: 1 })
    const analyst = await platform.createStaff(['analyst'])
    const marketer = await platform.createStaff(['marketer'])
    expect((await platform.request('GET', `/v1/members/${member.memberId}/ledger`, { token: analyst.token })).status).toBe(200)
    expect((await platform.request('GET', `/v1/members/${member.memberId}/ledger`, { token: marketer.token })).status).toBe(403)
    expect((await platform.request('GET', '/v1/members/mem_nobody/ledger', { token: analyst.token })).status).toBe(404)
    const bad = await platform.request('GET', `/v1/members/${member.memberId}/ledger?limit=0`, { token: analyst.token })
    expect([bad.status, (await json(bad)).errors[0].path]).toEqual([400, '$.limit'])
  })
})

describe('GET /v1/members/:id/expiring', () => {
  test('sums the points expiring within the window, per expiry instant', async () => {
    const member = await makeMember(platform.db.pg, { points: 10 }) // expires in 24 months
    const day = 86_400_000
    await addLot(platform.db.pg, member.memberId, 7, new Date(Date.now() - 700 * day)) // expires in ~30 days
    await addLot(platform.db.pg, member.memberId, 4, new Date(Date.now() - 800 * day)) // already expired
    const res = await json(platform.request('GET', `/v1/members/${member.memberId}/expiring?days=90`, { token: support.token }))
    expect(res.total).toBe(7)
    expect(res.expiring).toHaveLength(1)
    expect(res.expiring[0].points).toBe(7)
    const all = await json(platform.request('GET', `/v1/members/${member.memberId}/expiring?days=1000`, { token: support.token }))
    expect(all.total).toBe(17)
  })
})
