import { makeCardNumber, makeSwipe, totalOf } from '../../test/helpers/factories'
import { makeMember, pointsState } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/** Attaching cards to members and blocking lost ones, through HTTP (docs/members.md). */
let platform: TestPlatform
let support: Awaited<ReturnType<TestPlatform['createStaff']>>

beforeAll(async () => {
  platform = await startTestPlatform()
  support = await platform.createStaff(['support'])
})
afterAll(() => platform.close())

const pg = () => platform.db.pg
const attach = (memberId: string, cardNumber: string, token = support.token) =>
  platform.request('POST', `/v1/members/${memberId}/cards`, { token, body: { card_number: cardNumber } })
const block = (cardNumber: string, body: object, token = support.token) => platform.request('POST', `/v1/cards/${cardNumber}/block`, { token, body })
const cardRow = async (cardNumber: string) =>
  (await pg().query('SELECT member_id, status, blocked_at, replaced_by FROM cards WHERE card_number = $1', [cardNumber]))[0]

describe('POST /v1/members/:id/cards', () => {
  test('a new card is created for the member (201) and audited', async () => {
    const m = await makeMember(pg())
    const card = makeCardNumber()
    const res = await attach(m.memberId, card)
    expect(res.status).toBe(201)
    const body = await json(res)
    expect(body.outcome).toBe('created')
    expect(body.member.cards.map((c: { card_number: string }) => c.card_number).sort()).toEqual([m.cardNumber, card].sort())
    expect(await cardRow(card)).toMatchObject({ member_id: m.memberId, status: 'active' })
    const [entry] = await pg().query("SELECT actor_id, before, after FROM audit_log WHERE action = 'card.attach' AND entity_id = $1", [card])
    expect(entry).toEqual({ actor_id: support.userId, before: null, after: { member_id: m.memberId, status: 'active', merged_from: null } })
  })

  test("an anonymous card with points merges its member in: the points and the card's history come along", async () => {
    const m = await makeMember(pg(), { points: 30 })
    const anonymous = await makeMember(pg(), { status: 'anonymous', points: 45 })
    const res = await attach(m.memberId, anonymous.cardNumber)
    expect(res.status).toBe(201)
    const body = await json(res)
    expect(body.outcome).toBe('merged')
    expect(body.merge).toMatchObject({ from_member_id: anonymous.memberId, points_moved: 45 })
    expect(body.member.points.balance).toBe(75)
    expect(await pointsState(pg(), m.memberId)).toEqual({ balance: 75, ledger: 75, lots: 75 })
    expect(await pointsState(pg(), anonymous.memberId)).toEqual({ balance: 0, ledger: 0, lots: 0 })
    const [gone] = await pg().query('SELECT status, merged_into FROM members WHERE id = $1', [anonymous.memberId])
    expect(gone).toEqual({ status: 'merged', merged_into: m.memberId })
  })

  test('attaching a card the member already has changes nothing (200)', async () => {
    const m = await makeMember(pg())
    const res = await attach(m.memberId, m.cardNumber)
    expect(res.status).toBe(200)
    expect((await json(res)).outcome).toBe('unchanged')
  })

  test("another registered member's card is a 409 and stays theirs", async () => {
    const [a, b] = [await makeMember(pg()), await makeMember(pg())]
    expect((await attach(a.memberId, b.cardNumber)).status).toBe(409)
    expect((await cardRow(b.cardNumber))!.member_id).toBe(b.memberId)
  })

  test('a card cannot be attached to an anonymous member (register first) or an unknown one', async () => {
    const anonymous = await makeMember(pg(), { status: 'anonymous' })
    expect((await attach(anonymous.memberId, makeCardNumber())).status).toBe(409)
    expect((await attach('mem_nobody', makeCardNumber())).status).toBe(404)
  })

  test('attaching an anonymous card while its member is merged elsewhere: one wins, the other is a 409, never a deadlock', async () => {
    for (let round = 0; round < 5; round++) {
      const [t, u] = [await makeMember(pg()), await makeMember(pg())]
      const anonymous = await makeMember(pg(), { status: 'anonymous', points: 7 })
      const [attached, merged] = await Promise.all([
        attach(t.memberId, anonymous.cardNumber),
        platform.request('POST', `/v1/members/${u.memberId}/merge`, { token: support.token, body: { from_member_id: anonymous.memberId, reason: 'race' } }),
      ])
      const statuses = [attached.status, merged.status]
      expect(statuses.filter((s) => s === 409)).toHaveLength(1)
      expect(statuses.filter((s) => s === 200 || s === 201)).toHaveLength(1)
      const winner = attached.status === 201 ? t : u
      expect(await pointsState(pg(), winner.memberId)).toEqual({ balance: 7, ledger: 7, lots: 7 })
      expect((await cardRow(anonymous.cardNumber))!.member_id).toBe(winner.memberId)
    }
  })

  test('a malformed card number is a 400 naming $.card_number', async () => {
    const m = await makeMember(pg())
    const res = await attach(m.memberId, '12345678')
    expect(res.status).toBe(400)
    expect((await json(res)).errors).toEqual([{ path: '$.card_number', message: 'the check digit does not match (mistyped?)' }])
  })
})

describe('cards from the till', () => {
  const BREAD = { sku: 'BREAD', category: 'Bakery', quantity: '1', unit_price: '4.50' }
  const swipeOn = async (cardNumber: string, key: string) =>
    json(platform.post('/v1/swipes', makeSwipe({ card_number: cardNumber, lines: [BREAD], total: totalOf([BREAD]) }), key))

  test('a card swiped anonymously, registered, then given a second swiped card: every point ends on the one member, and later swipes earn there', async () => {
    const { key } = await platform.createStore()
    const first = makeCardNumber()
    const second = makeCardNumber()
    expect(await swipeOn(first, key)).toMatchObject({ points: { earned: 4 }, balance: 4 })
    expect(await swipeOn(second, key)).toMatchObject({ points: { earned: 4 }, balance: 4 })

    const registered = await json(platform.request('POST', '/v1/members', { token: support.token, body: { name: 'Till Person', card_number: first } }))
    expect(registered).toMatchObject({ status: 'active', points: { balance: 4 } })
    expect((await cardRow(first))!.member_id).toBe(registered.id)

    const attached = await json(attach(registered.id, second))
    expect(attached).toMatchObject({ outcome: 'merged', member: { points: { balance: 8 } } })
    expect(await swipeOn(second, key)).toMatchObject({ balance: 12 })
    expect(await pointsState(pg(), registered.id)).toEqual({ balance: 12, ledger: 12, lots: 12 })
  })
})

describe('POST /v1/cards/:card_number/block', () => {
  test('blocking with a replacement keeps the balance on the member and gives them the new card', async () => {
    const m = await makeMember(pg(), { points: 250 })
    const replacement = makeCardNumber()
    const res = await block(m.cardNumber, { reason: 'lost at the car park', replacement_card_number: replacement })
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body.card).toMatchObject({ card_number: m.cardNumber, status: 'blocked', member_id: m.memberId, replaced_by: replacement })
    expect(Date.parse(body.card.blocked_at)).not.toBeNaN()
    expect(body.replacement).toEqual({ card_number: replacement, outcome: 'created' })
    expect(body.member.points.balance).toBe(250)
    expect(await cardRow(replacement)).toMatchObject({ member_id: m.memberId, status: 'active' })
    expect(await pointsState(pg(), m.memberId)).toEqual({ balance: 250, ledger: 250, lots: 250 })

    const [entry] = await pg().query("SELECT actor_id, before, after FROM audit_log WHERE action = 'card.block' AND entity_id = $1", [m.cardNumber])
    expect(entry).toMatchObject({
      actor_id: support.userId,
      before: { member_id: m.memberId, status: 'active' },
      after: { status: 'blocked', replaced_by: replacement, reason: 'lost at the car park' },
    })
  })

  test('a replacement that is an anonymous card with points merges it in', async () => {
    const m = await makeMember(pg(), { points: 10 })
    const anonymous = await makeMember(pg(), { status: 'anonymous', points: 5 })
    const res = await block(m.cardNumber, { reason: 'stolen', replacement_card_number: anonymous.cardNumber })
    expect(res.status).toBe(200)
    expect((await json(res)).member.points.balance).toBe(15)
    expect(await pointsState(pg(), m.memberId)).toEqual({ balance: 15, ledger: 15, lots: 15 })
  })

  test('a blocked card cannot be attached again, to its member or anyone, nor blocked twice', async () => {
    const m = await makeMember(pg())
    const other = await makeMember(pg())
    expect((await block(m.cardNumber, { reason: 'lost' })).status).toBe(200)
    expect((await attach(m.memberId, m.cardNumber)).status).toBe(409)
    expect((await attach(other.memberId, m.cardNumber)).status).toBe(409)
    expect((await block(m.cardNumber, { reason: 'lost again' })).status).toBe(409)
    expect(await cardRow(m.cardNumber)).toMatchObject({ member_id: m.memberId, status: 'blocked', replaced_by: null })
  })

  test("a replacement held by another registered member is a 409 and the card stays unblocked", async () => {
    const [a, b] = [await makeMember(pg()), await makeMember(pg())]
    expect((await block(a.cardNumber, { reason: 'lost', replacement_card_number: b.cardNumber })).status).toBe(409)
    expect((await cardRow(a.cardNumber))!.status).toBe('active')
  })

  test('an unknown card is a 404; a card replacing itself or a missing reason is a 400 naming the path', async () => {
    expect((await block(makeCardNumber(), { reason: 'lost' })).status).toBe(404)
    const m = await makeMember(pg())
    const self = await block(m.cardNumber, { reason: 'lost', replacement_card_number: m.cardNumber })
    expect(self.status).toBe(400)
    expect((await json(self)).errors.map((e: { path: string }) => e.path)).toEqual(['$.replacement_card_number'])
    const noReason = await block(m.cardNumber, { replacement_card_number: 'abc' })
    expect(((await json(noReason)).errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['$.reason', '$.replacement_card_number'])
  })

  test('an anonymous card can be blocked and replaced by a new card, keeping its points', async () => {
    const anonymous = await makeMember(pg(), { status: 'anonymous', points: 12 })
    const replacement = makeCardNumber()
    const res = await block(anonymous.cardNumber, { reason: 'damaged', replacement_card_number: replacement })
    expect(res.status).toBe(200)
    expect(await cardRow(replacement)).toMatchObject({ member_id: anonymous.memberId, status: 'active' })
    expect((await pointsState(pg(), anonymous.memberId)).balance).toBe(12)
  })

  test('marketer and analyst get 403 on both card routes; no token 401', async () => {
    const m = await makeMember(pg())
    for (const role of ['marketer', 'analyst'] as const) {
      const staff = await platform.createStaff([role])
      expect((await block(m.cardNumber, { reason: 'lost' }, staff.token)).status).toBe(403)
      expect((await attach(m.memberId, makeCardNumber(), staff.token)).status).toBe(403)
    }
    expect((await platform.request('POST', `/v1/cards/${m.cardNumber}/block`, { body: { reason: 'lost' } })).status).toBe(401)
    expect((await cardRow(m.cardNumber))!.status).toBe('active')
  })
})
