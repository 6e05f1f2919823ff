import { lockWaiters } from '../../test/helpers/locks'
import crypto from 'node:crypto'
import { makeMember, pointsState } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { makeCardNumber } from '../../test/helpers/factories'
import { mergeMembers } from '../members/merge-members'
import { addLot, lotsOf, mapConcurrently } from './ledger.fixtures'

let platform: TestPlatform
let store: { storeId: string; key: string }
let otherStore: { storeId: string; key: string }

/** The platform's clock runs this far ahead of the real one (a test moves time on). */
let clockAheadMs = 0

beforeAll(async () => {
  platform = await startTestPlatform({ clock: () => new Date(Date.now() + clockAheadMs) })
  store = await platform.createStore()
  otherStore = await platform.createStore()
})
afterAll(() => platform.close())

const requestId = () => `R-${crypto.randomBytes(6).toString('hex')}`
const redeem = (body: Record<string, unknown>, key = store.key) => platform.request('POST', '/v1/redemptions', { token: key, body })
const cancel = (id: string, key = store.key) => platform.request('POST', `/v1/redemptions/${id}/cancel`, { token: key })
const state = (memberId: string) => pointsState(platform.db.pg, memberId)


describe('POST /v1/redemptions', () => {
  test('spends points from the card’s member and answers the new balance, with the card masked', async () => {
    const member = await makeMember(platform.db.pg, { points: 300 })
    const res = await redeem({ request_id: requestId(), card_number: member.cardNumber, points: 120 })
    expect(res.status).toBe(201)
    const body = await json(res)
    expect(body).toMatchObject({ points: 120, balance: 180, card: `*********${member.cardNumber.slice(-4)}` })
    expect(body.redemption_id).toMatch(/^red_/)
    expect(await state(member.memberId)).toEqual({ balance: 180, ledger: 180, lots: 180 })
    const [row] = await platform.db.pg.query('SELECT store_id, status, points FROM redemptions WHERE id = $1', [body.redemption_id])
    expect(row).toEqual({ store_id: store.storeId, status: 'completed', points: '120' })
  })

  test('draws the lots that expire first', async () => {
    const member = await makeMember(platform.db.pg, { points: 50 }) // expires in 24 months
    const older = await addLot(platform.db.pg, member.memberId, 30, new Date(Date.now() - 365 * 86_400_000)) // in ~12 months
    await redeem({ request_id: requestId(), card_number: member.cardNumber, points: 40 })
    const lots = new Map(await lotsOf(platform.db.pg, member.memberId))
    expect(lots.get(older)).toBe(0)
    expect([...lots.values()].reduce((a, b) => a + b, 0)).toBe(40)
    expect(await state(member.memberId)).toEqual({ balance: 40, ledger: 40, lots: 40 })
  })

  test('a retry gets the first answer, even after the balance moved, and moves nothing', async () => {
    const member = await makeMember(platform.db.pg, { points: 100 })
    const body = { request_id: requestId(), card_number: member.cardNumber, points: 10 }
    const first = await json(redeem(body))
    await redeem({ request_id: requestId(), card_number: member.cardNumber, points: 5 })
    const again = await redeem(body)
    expect(again.status).toBe(200)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await json(again)).toEqual(first)
    expect(await state(member.memberId)).toEqual({ balance: 85, ledger: 85, lots: 85 })
  })

  test('the same request id at another store is another redemption', async () => {
    const member = await makeMember(platform.db.pg, { points: 100 })
    const body = { request_id: requestId(), card_number: member.cardNumber, points: 10 }
    expect((await redeem(body)).status).toBe(201)
    expect((await redeem(body, otherStore.key)).status).toBe(201)
    expect((await state(member.memberId)).balance).toBe(80)
  })

  test('the same request id with another body is a 409 and moves nothing', async () => {
    const member = await makeMember(platform.db.pg, { points: 100 })
    const id = requestId()
    await redeem({ request_id: id, card_number: member.cardNumber, points: 10 })
    const res = await redeem({ request_id: id, card_number: member.cardNumber, points: 11 })
    expect(res.status).toBe(409)
    expect(await json(res)).toMatchObject({ code: 'request_id_conflict' })
    expect((await state(member.memberId)).balance).toBe(90)
  })

  test('twenty identical posts at once redeem once', async () => {
    const member = await makeMember(platform.db.pg, { points: 100 })
    const body = { request_id: requestId(), card_number: member.cardNumber, points: 7 }
    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await redeem(body)).status))
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 200)).toHaveLength(19)
    expect(await state(member.memberId)).toEqual({ balance: 93, ledger: 93, lots: 93 })
  })

  test('more than the usable points is refused with the figure available, and nothing moves', async () => {
    const member = await makeMember(platform.db.pg, { points: 40 })
    // 25 points already past their expiry, not yet swept: not usable.
    await addLot(platform.db.pg, member.memberId, 25, new Date(Date.now() - 800 * 86_400_000))
    const res = await redeem({ request_id: requestId(), card_number: member.cardNumber, points: 41 })
    expect(res.status).toBe(409)
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/)
    expect(await json(res)).toMatchObject({ code: 'insufficient_points', requested: 41, available: 40, errors: [{ path: '$.points' }] })
    expect(await state(member.memberId)).toEqual({ balance: 65, ledger: 65, lots: 65 })
  })

  test('1,000 concurrent redemptions of 1 point against a balance of 500: exactly 500 succeed', async () => {
    const member = await makeMember(platform.db.pg, { points: 500 })
    const statuses = await mapConcurrently(Array.from({ length: 1000 }, (_, i) => i), 50, async (i) => {
      const res = await redeem({ request_id: `C-${i}-${member.memberId.slice(4, 12)}`, card_number: member.cardNumber, points: 1 })
      const body = await json(res)
      return res.status === 409 ? body.code : res.status
    })
    expect(statuses.filter((s) => s === 201)).toHaveLength(500)
    expect(statuses.filter((s) => s === 'insufficient_points')).toHaveLength(500)
    expect(await state(member.memberId)).toEqual({ balance: 0, ledger: 0, lots: 0 })
    const [count] = await platform.db.pg.query<{ n: string }>('SELECT count(*) AS n FROM redemptions WHERE member_id = $1', [member.memberId])
    expect(count!.n).toBe('500')
  })

  test.each([
    ['an anonymous card', { status: 'anonymous' as const }, 409, 'registration_required'],
    ['a blocked member', { status: 'blocked' as const }, 409, 'member_not_eligible'],
  ])('%s cannot redeem', async (_name, overrides, status, code) => {
    const member = await makeMember(platform.db.pg, { ...overrides, points: 100 })
    const res = await redeem({ request_id: requestId(), card_number: member.cardNumber, points: 1 })
    expect([res.status, (await json(res)).code]).toEqual([status, code])
    expect((await state(member.memberId)).balance).toBe(100)
  })

  test('a redemption waiting on a merge of the card’s member spends from the member it was merged into', async () => {
    const source = await makeMember(platform.db.pg, { points: 100 })
    const target = await makeMember(platform.db.pg, { points: 5 })
    const { pending } = await platform.db.pg.transaction(async (tx) => {
      await mergeMembers(tx, { targetId: target.memberId, sourceId: source.memberId, reason: 'duplicate', actor: { type: 'system', id: null }, now: new Date(), expiryMonths: 24 })
      const pending = redeem({ request_id: requestId(), card_number: source.cardNumber, points: 60 })
      await lockWaiters(platform.db.pg)
      return { pending } // not awaited here: it is answered once the merge commits
    })
    const res = await pending
    expect(res.status).toBe(201)
    expect(await json(res)).toMatchObject({ points: 60, balance: 45 })
    expect(await state(target.memberId)).toEqual({ balance: 45, ledger: 45, lots: 45 })
    expect(await state(source.memberId)).toEqual({ balance: 0, ledger: 0, lots: 0 })
  })

  test('a blocked card cannot redeem; an unknown card is not found', async () => {
    const member = await makeMember(platform.db.pg, { points: 100 })
    await platform.db.pg.query("UPDATE cards SET status = 'blocked', blocked_at = now() WHERE card_number = $1", [member.cardNumber])
    const blocked = await redeem({ request_id: requestId(), card_number: member.cardNumber, points: 1 })
    expect([blocked.status, (await json(blocked)).code]).toEqual([409, 'card_blocked'])
    const unknown = await redeem({ request_id: requestId(), card_number: makeCardNumber(), points: 1 })
    expect([unknown.status, (await json(unknown)).code]).toEqual([404, 'card_not_found'])
  })

  test('bad input is a 400 naming every problem by its JSON path', async () => {
    const res = await redeem({ request_id: 'has space', card_number: '1234567890123', points: 1.5, tip: 1 })
    expect(res.status).toBe(400)
    const paths = (await json(res)).errors.map((e: { path: string }) => e.path).sort()
    expect(paths).toEqual(['$.card_number', '$.points', '$.request_id', '$.tip'])
  })

  test('needs a till key with the swipes:write scope', async () => {
    const member = await makeMember(platform.db.pg, { points: 100 })
    const body = { request_id: requestId(), card_number: member.cardNumber, points: 1 }
    expect((await platform.request('POST', '/v1/redemptions', { body })).status).toBe(401)
    const staff = await platform.createStaff(['admin'])
    expect((await redeem(body, staff.token)).status).toBe(401)
    const narrow = await platform.createStore()
    await platform.db.pg.query("UPDATE store_api_keys SET scopes = '{reports:read}' WHERE id = $1", [narrow.keyId])
    expect((await redeem(body, narrow.key)).status).toBe(403)
    expect((await state(member.memberId)).balance).toBe(100)
  })
})

describe('POST /v1/redemptions/:id/cancel', () => {
  test('puts the points back into the lots they came from, once', async () => {
    const member = await makeMember(platform.db.pg, { points: 50 })
    await addLot(platform.db.pg, member.memberId, 30, new Date(Date.now() - 365 * 86_400_000))
    const before = await lotsOf(platform.db.pg, member.memberId)
    const { redemption_id } = await json(redeem({ request_id: requestId(), card_number: member.cardNumber, points: 60 }))
    const res = await cancel(redemption_id)
    expect(res.status).toBe(200)
    const answer = await json(res)
    expect(answer).toMatchObject({ redemption_id, status: 'cancelled', points: 60, expired: 0, balance: 80 })
    expect(await lotsOf(platform.db.pg, member.memberId)).toEqual(before)
    const again = await cancel(redemption_id)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await json(again)).toEqual(answer)
    expect(await state(member.memberId)).toEqual({ balance: 80, ledger: 80, lots: 80 })
  })

  test('points going back into a lot that expired meanwhile expire at once, counted as breakage now', async () => {
    const day = 86_400_000
    const member = await makeMember(platform.db.pg, { points: 50 })
    const old = await addLot(platform.db.pg, member.memberId, 30, new Date(Date.now() - 729 * day)) // expires in 1–3 days
    const { redemption_id } = await json(redeem({ request_id: requestId(), card_number: member.cardNumber, points: 40 }))
    clockAheadMs = 5 * day
    try {
      const res = await cancel(redemption_id)
      const answer = await json(res)
      expect(answer).toMatchObject({ points: 40, expired: 30, balance: 50 })
      expect(new Map(await lotsOf(platform.db.pg, member.memberId)).get(old)).toBe(0)
      expect(await state(member.memberId)).toEqual({ balance: 50, ledger: 50, lots: 50 })
      const [entry] = await platform.db.pg.query<{ points: string; occurred_at: Date }>(
        "SELECT points, occurred_at FROM points_ledger WHERE member_id = $1 AND kind = 'expire'",
        [member.memberId],
      )
      expect(Number(entry!.points)).toBe(-30)
      expect(entry!.occurred_at.toISOString()).toBe(answer.cancelled_at)
      expect(await json(cancel(redemption_id))).toEqual(answer)
    } finally {
      clockAheadMs = 0
    }
  })

  test('only the points the cancel put back into an expired lot expire; what the lot held already waits for the sweep', async () => {
    const day = 86_400_000
    const member = await makeMember(platform.db.pg, { points: 50 })
    const old = await addLot(platform.db.pg, member.memberId, 30, new Date(Date.now() - 729 * day)) // expires in 1–3 days
    const { redemption_id } = await json(redeem({ request_id: requestId(), card_number: member.cardNumber, points: 20 }))
    expect(new Map(await lotsOf(platform.db.pg, member.memberId)).get(old)).toBe(10)
    clockAheadMs = 5 * day // the lot has expired, with its 10 points not yet swept
    try {
      const answer = await json(cancel(redemption_id))
      expect(answer).toMatchObject({ points: 20, expired: 20, balance: 60 })
      expect(new Map(await lotsOf(platform.db.pg, member.memberId)).get(old)).toBe(10)
      expect(await state(member.memberId)).toEqual({ balance: 60, ledger: 60, lots: 60 })
      expect(await json(cancel(redemption_id))).toEqual(answer)
    } finally {
      clockAheadMs = 0
    }
  })

  test('another store cannot cancel it, and an unknown id is not found', async () => {
    const member = await makeMember(platform.db.pg, { points: 50 })
    const { redemption_id } = await json(redeem({ request_id: requestId(), card_number: member.cardNumber, points: 20 }))
    expect((await cancel(redemption_id, otherStore.key)).status).toBe(404)
    expect((await cancel('red_doesnotexist')).status).toBe(404)
    expect((await cancel('nonsense')).status).toBe(404)
    expect((await state(member.memberId)).balance).toBe(30)
  })
})
