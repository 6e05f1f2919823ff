import { verifySecret } from '../platform/auth/passwords'
import { makeCardNumber } from '../../test/helpers/factories'
import { makeMember, pointsState } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/** Registering, reading, searching and changing members through HTTP (docs/members.md). */
let platform: TestPlatform
let support: Awaited<ReturnType<TestPlatform['createStaff']>>
let marketer: Awaited<ReturnType<TestPlatform['createStaff']>>
let analyst: Awaited<ReturnType<TestPlatform['createStaff']>>
let storeId: string
let seq = 0

beforeAll(async () => {
  platform = await startTestPlatform()
  support = await platform.createStaff(['support'])
  marketer = await platform.createStaff(['marketer'])
  analyst = await platform.createStaff(['analyst'])
  storeId = (await platform.createStore()).storeId
})
afterAll(() => platform.close())

const uniqueEmail = () => `member-${Date.now()}-${++seq}@example.com`
const register = (body: object, token = support.token) => platform.request('POST', '/v1/members', { token, body })
const paths = async (res: Response) => ((await json(res)).errors as { path: string }[]).map((e) => e.path).sort()
const auditOf = (entityId: string) =>
  platform.db.pg.query<{ action: string; actor_id: string; before: any; after: any }>(
    'SELECT action, actor_id, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id',
    [entityId],
  )
const consentEvents = (memberId: string) =>
  platform.db.pg.query<{ channel: string; granted: boolean; at: Date; source: string }>(
    'SELECT channel, granted, at, source FROM consent_events WHERE member_id = $1 ORDER BY id',
    [memberId],
  )

describe('POST /v1/members (register)', () => {
  test('registers a member with a new card, consents with their time and source, and a PIN kept as a hash; audited', async () => {
    const card = makeCardNumber()
    const email = uniqueEmail()
    const res = await register({
      name: 'Ada Lovelace',
      email: email.toUpperCase(),
      phone: '+442071234567',
      birthday: '1985-12-10',
      preferred_store_id: storeId,
      consents: { email: true, sms: false },
      card_number: card,
      pin: '2468',
    })
    expect(res.status).toBe(201)
    const member = await json(res)
    expect(member).toMatchObject({
      id: expect.stringMatching(/^mem_[0-9a-f]{32}$/),
      status: 'active',
      name: 'Ada Lovelace',
      email,
      birthday: '1985-12-10',
      preferred_store_id: storeId,
      has_secret: true,
      cards: [{ card_number: card, status: 'active', blocked_at: null, replaced_by: null }],
      points: { balance: 0, tier: 'bronze' },
    })
    expect(member.consents.email).toEqual({ granted: true, changed_at: member.registered_at, source: `staff:${support.userId}` })
    expect(member.consents.sms).toMatchObject({ granted: false, source: `staff:${support.userId}` })
    expect(member.consents.personalised_offers).toEqual({ granted: false, changed_at: null, source: null })

    const [row] = await platform.db.pg.query<{ secret_hash: string }>('SELECT secret_hash FROM members WHERE id = $1', [member.id])
    expect(row!.secret_hash).not.toContain('2468')
    expect(await verifySecret('2468', row!.secret_hash)).toBe(true)
    expect((await consentEvents(member.id)).map((e) => [e.channel, e.granted, e.source])).toEqual([
      ['email', true, `staff:${support.userId}`],
      ['sms', false, `staff:${support.userId}`],
    ])
    const [entry] = await auditOf(member.id)
    expect(entry).toMatchObject({ action: 'member.register', actor_id: support.userId, before: null })
    expect(entry!.after).toMatchObject({ status: 'active', email, consents: { email: true, sms: false }, has_secret: true })
    expect(JSON.stringify(entry)).not.toContain(row!.secret_hash)
  })

  test('registering with an anonymous card makes THAT member registered: same id, its points kept', async () => {
    const anonymous = await makeMember(platform.db.pg, { status: 'anonymous', points: 120 })
    const res = await register({ name: 'Grace Hopper', email: uniqueEmail(), card_number: anonymous.cardNumber, password: 'a long enough password' })
    expect(res.status).toBe(201)
    const member = await json(res)
    expect(member).toMatchObject({ id: anonymous.memberId, status: 'active', name: 'Grace Hopper', points: { balance: 120 } })
    expect(member.cards.map((c: { card_number: string }) => c.card_number)).toEqual([anonymous.cardNumber])
    expect(await pointsState(platform.db.pg, anonymous.memberId)).toEqual({ balance: 120, ledger: 120, lots: 120 })
    const [entry] = await auditOf(anonymous.memberId)
    expect(entry).toMatchObject({ action: 'member.register', before: { status: 'anonymous', name: null }, after: { status: 'active', name: 'Grace Hopper' } })
  })

  test('a card of a registered member, or a blocked card, cannot be registered again (409)', async () => {
    const registered = await makeMember(platform.db.pg)
    const taken = await register({ name: 'Someone Else', card_number: registered.cardNumber })
    expect(taken.status).toBe(409)
    const blocked = await makeMember(platform.db.pg, { status: 'anonymous' })
    await platform.db.pg.query("UPDATE cards SET status = 'blocked', blocked_at = now() WHERE card_number = $1", [blocked.cardNumber])
    expect((await register({ name: 'Someone Else', card_number: blocked.cardNumber })).status).toBe(409)
    const [anon] = await platform.db.pg.query('SELECT status FROM members WHERE id = $1', [blocked.memberId])
    expect(anon!.status).toBe('anonymous')
  })

  test('the same anonymous card registered twice at once: one 201, one 409', async () => {
    const anonymous = await makeMember(platform.db.pg, { status: 'anonymous', points: 3 })
    const statuses = (await Promise.all(['One', 'Two'].map((name) => register({ name, card_number: anonymous.cardNumber })))).map((r) => r.status).sort()
    expect(statuses).toEqual([201, 409])
    expect(await platform.db.pg.query("SELECT 1 FROM audit_log WHERE action = 'member.register' AND entity_id = $1", [anonymous.memberId])).toHaveLength(1)
  })

  test('an e-mail another member has (any case) is a 409 naming $.email, and nothing is written', async () => {
    const email = uniqueEmail()
    expect((await register({ name: 'First', email })).status).toBe(201)
    const card = makeCardNumber()
    const res = await register({ name: 'Second', email: email.toUpperCase(), card_number: card })
    expect(res.status).toBe(409)
    expect(await paths(res)).toEqual(['$.email'])
    expect(await platform.db.pg.query('SELECT 1 FROM cards WHERE card_number = $1', [card])).toHaveLength(0)
  })

  test('every invalid field is named by its path in one 400', async () => {
    const res = await register({
      name: ' ',
      email: 'not-an-email',
      phone: '0612',
      birthday: '2020-02-30',
      card_number: '4000000000000001',
      consents: { sms: 'yes', fax: true },
      pin: '12',
      nickname: 'x',
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(await paths(res)).toEqual(['$.birthday', '$.card_number', '$.consents.fax', '$.consents.sms', '$.email', '$.name', '$.nickname', '$.phone', '$.pin'])
  })

  test('a pin and a password together, an unknown store, a future birthday and a payment card number in the name are refused by path', async () => {
    const both = await register({ name: 'Pat', pin: '1234', password: 'a long enough password' })
    expect(await paths(both)).toEqual(['$.password'])
    const store = await register({ name: 'Pat', preferred_store_id: 'sto_nowhere' })
    expect(store.status).toBe(400)
    expect(await paths(store)).toEqual(['$.preferred_store_id'])
    const future = await register({ name: 'Pat', birthday: '2999-01-01' })
    expect(await paths(future)).toEqual(['$.birthday'])
    const pan = await register({ name: 'Pat 4111 1111 1111 1111' })
    expect(await paths(pan)).toEqual(['$.name'])
  })

  test('marketer and analyst may not register (403); no token is a 401; a member token is a 401', async () => {
    const member = await makeMember(platform.db.pg)
    for (const token of [marketer.token, analyst.token]) expect((await register({ name: 'Nope' }, token)).status).toBe(403)
    expect((await platform.request('POST', '/v1/members', { body: { name: 'Nope' } })).status).toBe(401)
    expect((await register({ name: 'Nope' }, platform.memberToken(member.memberId))).status).toBe(401)
    expect(await platform.db.pg.query("SELECT 1 FROM members WHERE name = 'Nope'")).toHaveLength(0)
  })
})

describe('GET /v1/members/:id', () => {
  test('support sees profile, cards, consents, balance and tier', async () => {
    const m = await makeMember(platform.db.pg, { points: 75, tier: 'silver', name: 'Lin' })
    const res = await platform.request('GET', `/v1/members/${m.memberId}`, { token: support.token })
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ id: m.memberId, name: 'Lin', email: m.email, cards: [{ card_number: m.cardNumber }], points: { balance: 75, tier: 'silver' } })
  })

  test('a marketer sees consents and points but no personal data or card numbers', async () => {
    const m = await makeMember(platform.db.pg, { points: 10, name: 'Private Person' })
    const res = await platform.request('GET', `/v1/members/${m.memberId}`, { token: marketer.token })
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body).toMatchObject({ id: m.memberId, status: 'active', points: { balance: 10 }, consents: { email: { granted: false } } })
    for (const field of ['name', 'email', 'phone', 'birthday', 'cards', 'preferred_store_id']) expect(body).not.toHaveProperty(field)
    expect(JSON.stringify(body)).not.toContain('Private Person')
    expect(JSON.stringify(body)).not.toContain(m.cardNumber)
  })

  test('an analyst gets 403, no token 401, an unknown id 404', async () => {
    const m = await makeMember(platform.db.pg)
    expect((await platform.request('GET', `/v1/members/${m.memberId}`, { token: analyst.token })).status).toBe(403)
    expect((await platform.request('GET', `/v1/members/${m.memberId}`)).status).toBe(401)
    expect((await platform.request('GET', '/v1/members/mem_doesnotexist', { token: support.token })).status).toBe(404)
  })
})

describe('GET /v1/members (search)', () => {
  test('finds by e-mail in any case, by any card number, and by part of the name', async () => {
    const m = await makeMember(platform.db.pg, { name: 'Zebulon Quartermain' })
    const byEmail = await json(platform.request('GET', `/v1/members?email=${encodeURIComponent(m.email!.toUpperCase())}`, { token: support.token }))
    expect(byEmail.members.map((x: { id: string }) => x.id)).toEqual([m.memberId])
    const byCard = await json(platform.request('GET', `/v1/members?card_number=${m.cardNumber}`, { token: support.token }))
    expect(byCard.members).toEqual([expect.objectContaining({ id: m.memberId, card_numbers: [m.cardNumber], name: 'Zebulon Quartermain' })])
    const byName = await json(platform.request('GET', '/v1/members?q=ulon%20quart', { token: support.token }))
    expect(byName.members.map((x: { id: string }) => x.id)).toEqual([m.memberId])
  })

  test('wildcards in q are plain characters', async () => {
    await makeMember(platform.db.pg, { name: 'Wild Card' })
    const res = await json(platform.request('GET', '/v1/members?q=%25%25%25', { token: support.token }))
    expect(res.members).toEqual([])
  })

  test('pages in id order with limit and after, until next is null', async () => {
    const tag = `Pager${Date.now()}`
    const made = await Promise.all([1, 2, 3].map(() => makeMember(platform.db.pg, { name: `${tag} Person` })))
    const ids = made.map((m) => m.memberId).sort()
    const first = await json(platform.request('GET', `/v1/members?q=${tag}&limit=2`, { token: support.token }))
    expect(first.members.map((x: { id: string }) => x.id)).toEqual(ids.slice(0, 2))
    expect(first.next).toBe(ids[1])
    const second = await json(platform.request('GET', `/v1/members?q=${tag}&limit=2&after=${first.next}`, { token: support.token }))
    expect(second.members.map((x: { id: string }) => x.id)).toEqual(ids.slice(2))
    expect(second.next).toBeNull()
  })

  test('no filter, a bad limit or an unknown parameter is a 400 naming each', async () => {
    const none = await platform.request('GET', '/v1/members', { token: support.token })
    expect(none.status).toBe(400)
    expect(await paths(none)).toEqual(['$'])
    const bad = await platform.request('GET', '/v1/members?q=ab&limit=500&sort=name', { token: support.token })
    expect(await paths(bad)).toEqual(['$.limit', '$.q', '$.sort'])
  })

  test('marketer and analyst may not search (403)', async () => {
    for (const token of [marketer.token, analyst.token]) expect((await platform.request('GET', '/v1/members?q=abc', { token })).status).toBe(403)
  })
})

describe('PATCH /v1/members/:id', () => {
  test('changes the profile, withdraws a consent with its time and source, clears a field; audited with before and after', async () => {
    const m = await makeMember(platform.db.pg)
    await platform.db.pg.query("UPDATE members SET phone = '+31611111111' WHERE id = $1", [m.memberId])
    await platform.request('PATCH', `/v1/members/${m.memberId}`, { token: support.token, body: { consents: { email: true } } })
    const res = await platform.request('PATCH', `/v1/members/${m.memberId}`, {
      token: support.token,
      body: { name: 'New Name', phone: null, consents: { email: false, sms: true } },
    })
    expect(res.status).toBe(200)
    const member = await json(res)
    expect(member).toMatchObject({ name: 'New Name', phone: null, email: m.email })
    expect(member.consents.email).toMatchObject({ granted: false, source: `staff:${support.userId}` })
    expect(member.consents.sms.granted).toBe(true)

    const events = await consentEvents(m.memberId)
    expect(events.map((e) => [e.channel, e.granted])).toEqual([['email', true], ['email', false], ['sms', true]])
    expect(events[1]!.at.toISOString()).toBe(member.consents.email.changed_at)

    const entries = await auditOf(m.memberId)
    const last = entries[entries.length - 1]!
    expect(last).toMatchObject({ action: 'member.update', actor_id: support.userId })
    expect(last.before).toMatchObject({ name: 'Test Member', phone: '+31611111111', consents: { email: true, sms: false } })
    expect(last.after).toMatchObject({ name: 'New Name', phone: null, consents: { email: false, sms: true } })
  })

  test('giving a consent already given records no new event', async () => {
    const m = await makeMember(platform.db.pg)
    for (let i = 0; i < 2; i++) await platform.request('PATCH', `/v1/members/${m.memberId}`, { token: support.token, body: { consents: { sms: true } } })
    expect(await consentEvents(m.memberId)).toHaveLength(1)
  })

  test('a new PIN replaces the old one and lifts a sign-in lockout', async () => {
    const m = await makeMember(platform.db.pg, { pin: '1111' })
    await platform.db.pg.query("UPDATE members SET failed_sign_ins = 4, locked_until = now() + interval '1 hour' WHERE id = $1", [m.memberId])
    expect((await platform.request('PATCH', `/v1/members/${m.memberId}`, { token: support.token, body: { pin: '987654' } })).status).toBe(200)
    const [row] = await platform.db.pg.query('SELECT secret_hash, failed_sign_ins, locked_until FROM members WHERE id = $1', [m.memberId])
    expect(await verifySecret('987654', row!.secret_hash)).toBe(true)
    expect(await verifySecret('1111', row!.secret_hash)).toBe(false)
    expect([row!.failed_sign_ins, row!.locked_until]).toEqual([0, null])
  })

  test('an anonymous member cannot be edited (409), an unknown one is a 404, an e-mail in use is a 409', async () => {
    const anonymous = await makeMember(platform.db.pg, { status: 'anonymous' })
    expect((await platform.request('PATCH', `/v1/members/${anonymous.memberId}`, { token: support.token, body: { name: 'X' } })).status).toBe(409)
    expect((await platform.request('PATCH', '/v1/members/mem_nobody', { token: support.token, body: { name: 'X' } })).status).toBe(404)
    const [a, b] = [await makeMember(platform.db.pg), await makeMember(platform.db.pg)]
    const clash = await platform.request('PATCH', `/v1/members/${a.memberId}`, { token: support.token, body: { email: b.email } })
    expect(clash.status).toBe(409)
    expect(await paths(clash)).toEqual(['$.email'])
  })

  test('an empty change, or bad fields, are a 400 naming each path', async () => {
    const m = await makeMember(platform.db.pg)
    const empty = await platform.request('PATCH', `/v1/members/${m.memberId}`, { token: support.token, body: {} })
    expect(await paths(empty)).toEqual(['$'])
    const bad = await platform.request('PATCH', `/v1/members/${m.memberId}`, { token: support.token, body: { name: null, consents: { email: 'no' }, status: 'blocked' } })
    expect(bad.status).toBe(400)
    expect(await paths(bad)).toEqual(['$.consents.email', '$.name', '$.status'])
  })

  test('marketer and analyst may not change a member (403) and nothing changes', async () => {
    const m = await makeMember(platform.db.pg, { name: 'Unchanged' })
    for (const token of [marketer.token, analyst.token]) {
      expect((await platform.request('PATCH', `/v1/members/${m.memberId}`, { token, body: { name: 'Changed' } })).status).toBe(403)
    }
    const [row] = await platform.db.pg.query('SELECT name FROM members WHERE id = $1', [m.memberId])
    expect(row!.name).toBe('Unchanged')
  })
})
