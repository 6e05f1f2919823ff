import type { Request, Response } from 'express'
import { requireMember } from '../platform/auth/auth.middleware'
import { book, lockAccounts } from '../points/ledger'
import { makeMember, pointsState, type TestMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/** POST /v1/members/:id/merge: one audited transaction; the points invariant holds on both. */
let platform: TestPlatform
let support: Awaited<ReturnType<TestPlatform['createStaff']>>
let storeId: string

beforeAll(async () => {
  platform = await startTestPlatform()
  support = await platform.createStaff(['support'])
  storeId = (await platform.createStore()).storeId
})
afterAll(() => platform.close())

const merge = (targetId: string, fromId: string, token = support.token, reason = 'same person, two accounts') =>
  platform.request('POST', `/v1/members/${targetId}/merge`, { token, body: { from_member_id: fromId, reason } })
const pg = () => platform.db.pg

/** Books points straight through the ledger (a negative adjust can leave a debt). */
async function bookPoints(memberId: string, points: number, kind: 'adjust' | 'redeem' = 'adjust') {
  return pg().transaction(async (tx) => {
    const accounts = await lockAccounts(tx, [memberId])
    const [booked] = await book(tx, accounts, [{ memberId, kind, points, reason: 'test', source: { type: 'system', id: 'test' }, occurredAt: new Date() }], { expiryMonths: 24 })
    return booked!
  })
}

async function expectInvariant(memberId: string) {
  const s = await pointsState(pg(), memberId)
  expect(s.ledger).toBe(s.balance)
  expect(s.lots).toBe(Math.max(s.balance, 0))
  return s
}

/** What requireMember says to a member token: undefined (admitted) or the error. */
async function memberGuard(memberId: string): Promise<unknown> {
  const guard = requireMember({ pg: pg(), tokens: platform.tokens })
  const token = platform.memberToken(memberId)
  const req = { get: (name: string) => (name.toLowerCase() === 'authorization' ? `Bearer ${token}` : undefined) } as unknown as Request
  return new Promise((resolve) => void guard(req, { locals: {} } as Response, resolve))
}

describe('merging two registered members', () => {
  let target: TestMember
  let source: TestMember
  let body: any

  beforeAll(async () => {
    target = await makeMember(pg(), { points: 100, tier: 'silver', name: 'Target Name' })
    source = await makeMember(pg(), { points: 300, tier: 'gold', name: 'Source Name' })
    await pg().query("UPDATE members SET phone = '+31622222222', preferred_store_id = $2 WHERE id = $1", [source.memberId, storeId])
    await pg().query(
      `INSERT INTO member_daily_spend (member_id, day, amount) VALUES ($1, '2026-01-10', 10.50), ($2, '2026-01-10', 4.25), ($2, '2026-01-11', 7.00)`,
      [target.memberId, source.memberId],
    )
    // Target said yes to e-mail long ago; the source said no since: the newer decision stands.
    await pg().query(
      `INSERT INTO member_consents (member_id, channel, granted, changed_at, source) VALUES
         ($1, 'email', true, '2025-01-01', 'member'), ($2, 'email', false, '2025-06-01', 'member'), ($2, 'sms', true, '2025-06-01', 'member')`,
      [target.memberId, source.memberId],
    )
    expect(await memberGuard(source.memberId)).toBeUndefined()
    const res = await merge(target.memberId, source.memberId)
    expect(res.status).toBe(200)
    body = await json(res)
  })

  test("the target's balance is both balances, and the invariant holds on both members", async () => {
    expect(body.member.points.balance).toBe(400)
    expect(body.merge).toMatchObject({ from_member_id: source.memberId, into_member_id: target.memberId, points_moved: 300, lots_moved: 1 })
    expect(await expectInvariant(target.memberId)).toEqual({ balance: 400, ledger: 400, lots: 400 })
    expect(await expectInvariant(source.memberId)).toEqual({ balance: 0, ledger: 0, lots: 0 })
    const got = await json(platform.request('GET', `/v1/members/${target.memberId}`, { token: support.token }))
    expect(got.points.balance).toBe(400)
    expect(got.merged_from).toEqual([source.memberId])
  })

  test('the ledger shows a merge_out on the source and a merge_in on the target', async () => {
    const rows = await pg().query('SELECT member_id, kind, points::int, source_id FROM points_ledger WHERE kind IN ($1, $2) AND member_id = ANY ($3) ORDER BY id', [
      'merge_out',
      'merge_in',
      [target.memberId, source.memberId],
    ])
    expect(rows).toEqual([
      { member_id: source.memberId, kind: 'merge_out', points: -300, source_id: target.memberId },
      { member_id: target.memberId, kind: 'merge_in', points: 300, source_id: source.memberId },
    ])
  })

  test('cards, daily spend (added day by day) and the newer consent per channel move to the target', async () => {
    expect(body.member.cards.map((c: { card_number: string }) => c.card_number).sort()).toEqual([target.cardNumber, source.cardNumber].sort())
    const spend = await pg().query('SELECT member_id, day::text, amount::text FROM member_daily_spend WHERE member_id = ANY ($1) ORDER BY day', [
      [target.memberId, source.memberId],
    ])
    expect(spend).toEqual([
      { member_id: target.memberId, day: '2026-01-10', amount: '14.75' },
      { member_id: target.memberId, day: '2026-01-11', amount: '7.00' },
    ])
    expect(body.member.consents.email).toMatchObject({ granted: false, changed_at: '2025-06-01T00:00:00.000Z' })
    expect(body.member.consents.sms.granted).toBe(true)
    expect(await pg().query('SELECT 1 FROM member_consents WHERE member_id = $1', [source.memberId])).toHaveLength(0)
  })

  test('the target keeps its own personal data, takes what it lacked, and the higher tier; the source keeps none', async () => {
    expect(body.member).toMatchObject({ name: 'Target Name', email: target.email, phone: '+31622222222', preferred_store_id: storeId })
    expect(body.member.points.tier).toBe('gold')
    const [changed] = await pg().query('SELECT from_tier, to_tier, change FROM tier_changes WHERE member_id = $1', [target.memberId])
    expect(changed).toEqual({ from_tier: 'silver', to_tier: 'gold', change: 'upgrade' })
    const [src] = await pg().query('SELECT status, merged_into, name, email, phone, secret_hash FROM members WHERE id = $1', [source.memberId])
    expect(src).toEqual({ status: 'merged', merged_into: target.memberId, name: null, email: null, phone: null, secret_hash: null })
  })

  test("the merged member's token stops working; the target's still works", async () => {
    expect(await memberGuard(source.memberId)).toMatchObject({ status: 401 })
    expect(await memberGuard(target.memberId)).toBeUndefined()
  })

  test('both members get an audit entry with before and after', async () => {
    const entries = await pg().query('SELECT entity_id, actor_id, before, after FROM audit_log WHERE action = $1 AND entity_id = ANY ($2) ORDER BY id', [
      'member.merge',
      [target.memberId, source.memberId],
    ])
    expect(entries).toHaveLength(2)
    const [t, s] = [entries.find((e) => e.entity_id === target.memberId)!, entries.find((e) => e.entity_id === source.memberId)!]
    expect(t).toMatchObject({ actor_id: support.userId, before: { points: { balance: 100 }, merging: source.memberId }, after: { points: { balance: 400 } } })
    expect(s).toMatchObject({ before: { status: 'active', name: 'Source Name' }, after: { status: 'merged', name: null, merged_into: target.memberId } })
  })

  test('merging the merged member again, or into it, is a 409; a later merge of the target flattens the chain', async () => {
    const other = await makeMember(pg())
    expect((await merge(other.memberId, source.memberId)).status).toBe(409)
    expect((await merge(source.memberId, other.memberId)).status).toBe(409)
    expect((await merge(other.memberId, target.memberId)).status).toBe(200)
    const [src] = await pg().query('SELECT merged_into FROM members WHERE id = $1', [source.memberId])
    expect(src!.merged_into).toBe(other.memberId)
    expect(await expectInvariant(other.memberId)).toMatchObject({ balance: 400 })
  })
})

describe('merging balances of any sign keeps the invariant', () => {
  test.each([
    ['a source in debt', 200, -50, 150],
    ['a target in debt', -80, 300, 220],
    ['both in debt', -10, -20, -30],
    ['a source with nothing', 40, 0, 40],
  ])('%s', async (_name, targetPoints, sourcePoints, expected) => {
    const target = await makeMember(pg())
    const source = await makeMember(pg())
    if (targetPoints) await bookPoints(target.memberId, targetPoints)
    if (sourcePoints) await bookPoints(source.memberId, sourcePoints)
    const res = await merge(target.memberId, source.memberId)
    expect(res.status).toBe(200)
    expect((await json(res)).member.points.balance).toBe(expected)
    expect((await expectInvariant(target.memberId)).balance).toBe(expected)
    expect(await expectInvariant(source.memberId)).toEqual({ balance: 0, ledger: 0, lots: 0 })
  })

  test("a source's redemption moves with its lots, so cancelling it after the merge restores the target's lots", async () => {
    const target = await makeMember(pg(), { points: 10 })
    const source = await makeMember(pg(), { points: 100 })
    const redeemed = await bookPoints(source.memberId, -60, 'redeem')
    await pg().query("INSERT INTO redemptions (id, store_id, request_id, member_id, card_number, points, ledger_id) VALUES ('red_test1', $1, 'r1', $2, $3, 60, $4)", [
      storeId,
      source.memberId,
      source.cardNumber,
      redeemed.ledgerId,
    ])
    expect((await merge(target.memberId, source.memberId)).status).toBe(200)
    const [redemption] = await pg().query("SELECT member_id FROM redemptions WHERE id = 'red_test1'")
    expect(redemption!.member_id).toBe(target.memberId)
    // What a cancel does (points/cancel-redemption.ts): restore into the lots the redemption drew.
    await pg().transaction(async (tx) => {
      const accounts = await lockAccounts(tx, [target.memberId])
      const restore = redeemed.draws.map((d) => ({ lotId: d.lotId, points: d.points }))
      await book(tx, accounts, [{ memberId: target.memberId, kind: 'restore', points: 60, reason: 'cancel', source: { type: 'redemption', id: 'red_test1' }, occurredAt: new Date(), restore }], { expiryMonths: 24 })
    })
    expect(await expectInvariant(target.memberId)).toEqual({ balance: 110, ledger: 110, lots: 110 })
  })
})

describe('refusals', () => {
  test('a member cannot be merged into itself (400 naming $.from_member_id)', async () => {
    const m = await makeMember(pg(), { points: 5 })
    const res = await merge(m.memberId, m.memberId)
    expect(res.status).toBe(400)
    expect((await json(res)).errors).toEqual([{ path: '$.from_member_id', message: 'is the member merged into' }])
    expect(await expectInvariant(m.memberId)).toMatchObject({ balance: 5 })
  })

  test('unknown ids are a 404 and nothing moves', async () => {
    const m = await makeMember(pg(), { points: 5 })
    expect((await merge(m.memberId, 'mem_unknown')).status).toBe(404)
    expect((await merge('mem_unknown', m.memberId)).status).toBe(404)
    expect((await pointsState(pg(), m.memberId)).balance).toBe(5)
  })

  test('an erased source, or an anonymous or erased target, is a 409', async () => {
    const [a, b] = [await makeMember(pg()), await makeMember(pg())]
    await pg().query("UPDATE members SET status = 'erased' WHERE id = $1", [b.memberId])
    expect((await merge(a.memberId, b.memberId)).status).toBe(409)
    expect((await merge(b.memberId, a.memberId)).status).toBe(409)
    const anonymous = await makeMember(pg(), { status: 'anonymous' })
    expect((await merge(anonymous.memberId, a.memberId)).status).toBe(409)
  })

  test('two merges of one source at once: exactly one succeeds', async () => {
    const source = await makeMember(pg(), { points: 50 })
    const [t1, t2] = [await makeMember(pg()), await makeMember(pg())]
    const statuses = (await Promise.all([merge(t1.memberId, source.memberId), merge(t2.memberId, source.memberId)])).map((r) => r.status).sort()
    expect(statuses).toEqual([200, 409])
    const balances = [(await pointsState(pg(), t1.memberId)).balance, (await pointsState(pg(), t2.memberId)).balance].sort()
    expect(balances).toEqual([0, 50])
  })

  test('bad input is a 400 naming each path', async () => {
    const m = await makeMember(pg())
    const res = await platform.request('POST', `/v1/members/${m.memberId}/merge`, { token: support.token, body: { from_member_id: 'someone', extra: 1 } })
    expect(res.status).toBe(400)
    expect(((await json(res)).errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['$.extra', '$.from_member_id', '$.reason'])
  })

  test('marketer and analyst get 403, no token 401, and nothing is merged', async () => {
    const [a, b] = [await makeMember(pg()), await makeMember(pg())]
    for (const roles of [['marketer'], ['analyst']] as const) {
      const staff = await platform.createStaff([...roles])
      expect((await merge(a.memberId, b.memberId, staff.token)).status).toBe(403)
    }
    expect((await platform.request('POST', `/v1/members/${a.memberId}/merge`, { body: { from_member_id: b.memberId, reason: 'x' } })).status).toBe(401)
    const [row] = await pg().query('SELECT status FROM members WHERE id = $1', [b.memberId])
    expect(row!.status).toBe('active')
  })
})
