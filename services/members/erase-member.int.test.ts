import { audit } from '../platform/audit'
import { makeCardNumber } from '../../test/helpers/factories'
import { makeMember, pointsState, type TestMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { clickhouseTotals, findInClickHouse, findInPostgres, postSales } from './privacy.fixtures'
import { shipOnceClaimed } from '../../test/helpers/shipping'

let platform: TestPlatform
let store: { storeId: string; key: string }
let support: { userId: string; token: string }

beforeAll(async () => {
  platform = await startTestPlatform()
  store = await platform.createStore()
  support = await platform.createStaff(['support'])
})
afterAll(() => platform.close())

const erase = (memberId: string, body: unknown = { reason: 'member asked by letter, ticket 4411' }) =>
  platform.request('POST', `/v1/members/${memberId}/erase`, { token: support.token, body })

/**
 * A registered member with personal data everywhere it can be: two cards (the old one
 * replaced by the new), consents, a redemption, staff audit entries naming card and e-mail,
 * and swipes on both cards.
 */
async function memberWithHistory(): Promise<TestMember & { oldCard: string; phone: string }> {
  const m = await makeMember(platform.db.pg, { name: 'Margaret Hamilton', points: 50 })
  const oldCard = makeCardNumber()
  const phone = `+4420${Math.floor(Math.random() * 1e8)}`
  const pg = platform.db.pg
  await pg.query('UPDATE members SET phone = $2, birthday = $3 WHERE id = $1', [m.memberId, phone, '1936-08-17'])
  await pg.query("INSERT INTO cards (card_number, member_id, status, blocked_at, replaced_by) VALUES ($1, $2, 'blocked', now(), $3)", [oldCard, m.memberId, m.cardNumber])
  await platform.request('PATCH', '/v1/me/consents', { token: platform.memberToken(m.memberId), body: { email: true, sms: false } })
  const [entry] = await pg.query<{ id: string }>('SELECT id FROM points_ledger WHERE member_id = $1', [m.memberId])
  await pg.query(
    "INSERT INTO redemptions (id, store_id, request_id, member_id, card_number, points, ledger_id) VALUES ($1, $2, $1, $3, $4, 5, $5)",
    [`red_${m.memberId.slice(4, 20)}`, store.storeId, m.memberId, m.cardNumber, entry!.id],
  )
  await pg.transaction((tx) =>
    audit(tx, {
      actor: { type: 'staff', id: support.userId },
      action: 'member.register',
      entity: { type: 'member', id: m.memberId },
      after: { name: 'Margaret Hamilton', email: m.email, card_number: oldCard, note: `called from ${phone}` },
    }),
  )
  await pg.transaction((tx) =>
    audit(tx, {
      actor: { type: 'staff', id: support.userId },
      action: 'card.replace',
      entity: { type: 'card', id: oldCard },
      after: { replaced_by: m.cardNumber },
    }),
  )
  await postSales(platform, store.key, [oldCard, m.cardNumber, m.cardNumber])
  return { ...m, oldCard, phone }
}

const traces = async (m: Awaited<ReturnType<typeof memberWithHistory>>) => ({
  postgres: Object.fromEntries(
    await Promise.all([m.cardNumber, m.oldCard, m.email!, m.phone, 'Margaret Hamilton'].map(async (n) => [n, await findInPostgres(platform, n)])),
  ),
  clickhouse: Object.fromEntries(await Promise.all([m.cardNumber, m.oldCard].map(async (n) => [n, await findInClickHouse(platform, n)]))),
})

describe('POST /v1/members/:id/erase', () => {
  test('leaves no trace of the card numbers, e-mail, phone or name in Postgres or ClickHouse, and the same sums under one pseudonym', async () => {
    const m = await memberWithHistory()
    await platform.shipper().drain()
    const before = await clickhouseTotals(platform, [m.cardNumber, m.oldCard])
    const points = await pointsState(platform.db.pg, m.memberId)
    expect(before).toMatchObject({ swipes: 3, lines: 6, total: '11.91' })
    // The searches below do find what is there.
    const found = await traces(m)
    expect(found.postgres[m.oldCard]).toEqual(expect.arrayContaining(['cards.card_number', 'ingest_journal.ch_lines', 'ingest_journal.swipe', 'audit_log.entity_id']))
    expect(found.postgres[m.email!].sort()).toEqual(['audit_log.after', 'members.email'])
    expect(found.clickhouse[m.cardNumber].sort()).toEqual(['swipe_lines.card_number', 'swipes.card_number'])

    const res = await erase(m.memberId)
    expect(res.status).toBe(200)
    const erasure = await json(res)
    expect(erasure).toMatchObject({ member_id: m.memberId, state: 'done', pseudonym: expect.stringMatching(/^erased-[0-9a-f]{32}$/) })

    expect(await traces(m)).toEqual({
      postgres: { [m.cardNumber]: [], [m.oldCard]: [], [m.email!]: [], [m.phone]: [], 'Margaret Hamilton': [] },
      clickhouse: { [m.cardNumber]: [], [m.oldCard]: [] },
    })
    expect(await clickhouseTotals(platform, [erasure.pseudonym])).toEqual(before)
    // Pseudonymous records stay: the points, the ledger, the consent history.
    expect(await pointsState(platform.db.pg, m.memberId)).toEqual(points)
    const [row] = await platform.db.pg.query('SELECT status, name, email, phone, birthday, secret_hash, erased_at FROM members WHERE id = $1', [m.memberId])
    expect(row).toMatchObject({ status: 'erased', name: null, email: null, phone: null, birthday: null, secret_hash: null })
    expect(row!.erased_at).toBeInstanceOf(Date)
    const cards = await platform.db.pg.query('SELECT card_number, status FROM cards WHERE member_id = $1', [m.memberId])
    expect(cards).toEqual([{ card_number: erasure.pseudonym, status: 'blocked' }])
    expect(await platform.db.pg.query('SELECT * FROM member_consents WHERE member_id = $1', [m.memberId])).toEqual([])
    expect(await platform.db.pg.query('SELECT channel FROM consent_events WHERE member_id = $1', [m.memberId])).toHaveLength(2)
    const [redemption] = await platform.db.pg.query('SELECT card_number, points FROM redemptions WHERE member_id = $1', [m.memberId])
    expect(redemption).toEqual({ card_number: erasure.pseudonym, points: '5' })
  })

  test('is audited without re-storing what it erased; earlier audit entries are redacted', async () => {
    const m = await memberWithHistory()
    const { pseudonym } = await json(erase(m.memberId))
    const entries = await platform.db.pg.query<{ action: string; entity_id: string; before: unknown; after: unknown; actor_id: string }>(
      "SELECT action, entity_id, before, after, actor_id FROM audit_log WHERE action IN ('member.register', 'card.replace', 'member.erase') AND (entity_id = $1 OR entity_id = $2) ORDER BY id",
      [m.memberId, pseudonym],
    )
    expect(entries.map((e) => e.action)).toEqual(['member.register', 'card.replace', 'member.erase'])
    expect(entries[0]!.after).toEqual({ name: '[erased]', email: '[erased]', card_number: pseudonym, note: 'called from [erased]' })
    expect(entries[2]).toMatchObject({
      actor_id: support.userId,
      before: { status: 'active', personal_data: ['name', 'email', 'phone', 'birthday'], had_secret: true, cards: 2 },
      after: { status: 'erased', pseudonym, reason: 'member asked by letter, ticket 4411' },
    })
  })

  test('an erased member cannot sign in, and their tokens stop working', async () => {
    const m = await makeMember(platform.db.pg)
    const token = platform.memberToken(m.memberId)
    expect((await platform.request('GET', '/v1/me', { token })).status).toBe(200)
    await erase(m.memberId)
    expect((await platform.request('GET', '/v1/me', { token })).status).toBe(401)
    expect((await platform.request('POST', '/v1/me/sessions', { body: { email: m.email, pin: m.pin } })).status).toBe(401)
    expect((await platform.request('POST', '/v1/me/sessions', { body: { card_number: m.cardNumber, pin: m.pin } })).status).toBe(401)
  })

  test('running it again changes nothing', async () => {
    const m = await memberWithHistory()
    await platform.shipper().drain()
    const first = await json(erase(m.memberId))
    const totals = await clickhouseTotals(platform, [first.pseudonym])
    const auditCount = async () => (await platform.db.pg.query('SELECT count(*)::int AS n FROM audit_log'))[0]!.n
    const entries = await auditCount()

    const again = await erase(m.memberId, { reason: 'asked twice' })
    expect(again.status).toBe(200)
    expect(await json(again)).toEqual(first)
    expect(await clickhouseTotals(platform, [first.pseudonym])).toEqual(totals)
    expect(await auditCount()).toBe(entries)
  })

  test('swipes still in the journal are rewritten there and reach ClickHouse only under the pseudonym; a till retry of one is a conflict', async () => {
    const m = await makeMember(platform.db.pg)
    const sales = await postSales(platform, store.key, [m.cardNumber, m.cardNumber])
    const { pseudonym, state } = await json(erase(m.memberId))
    expect(state).toBe('done')
    await platform.shipper().drain()
    expect(await findInClickHouse(platform, m.cardNumber)).toEqual([])
    expect(await clickhouseTotals(platform, [pseudonym])).toMatchObject({ swipes: 2, lines: 4, total: '7.94' })
    const [journal] = await platform.db.pg.query("SELECT answer->>'card' AS card FROM ingest_journal WHERE txn_id = $1", [sales[0]!.txn_id])
    expect(journal).toEqual({ card: `${'*'.repeat(pseudonym.length - 4)}${pseudonym.slice(-4)}` })
    const retry = await platform.post('/v1/swipes', sales[0], store.key)
    expect(retry.status).toBe(409)
  })

  test('a shipper batch caught mid-flight: 202 until it is marked, then running it again finishes with no trace', async () => {
    const m = await makeMember(platform.db.pg)
    await postSales(platform, store.key, [m.cardNumber, m.cardNumber, m.cardNumber])
    // The shipper inserted the old numbers into ClickHouse, then crashed before marking the batch.
    const crashing = platform.shipper({ afterInsert: async () => Promise.reject(new Error('crash after insert')) })
    await expect(shipOnceClaimed(crashing)).rejects.toThrow('crash after insert')
    const before = await clickhouseTotals(platform, [m.cardNumber])
    expect(before.swipes).toBe(3)

    const pending = await erase(m.memberId)
    expect(pending.status).toBe(202)
    const { pseudonym, state } = await json(pending)
    expect(state).toBe('clickhouse_pending')
    // Only the erasure's own record still holds the number, until ClickHouse is rewritten.
    expect(await findInPostgres(platform, m.cardNumber)).toEqual(['member_erasures.card_numbers'])

    // The restarted shipper re-sends the batch (now rewritten) with the same token: ClickHouse keeps the first copy.
    await platform.shipper().drain()
    expect((await clickhouseTotals(platform, [m.cardNumber])).swipes).toBe(3)

    const finished = await erase(m.memberId)
    expect(finished.status).toBe(200)
    expect(await json(finished)).toMatchObject({ pseudonym, state: 'done' })
    expect(await findInPostgres(platform, m.cardNumber)).toEqual([])
    expect(await findInClickHouse(platform, m.cardNumber)).toEqual([])
    expect(await clickhouseTotals(platform, [pseudonym])).toEqual(before)
  })

  test('members merged into the erased member lose their personal data too; a merged member itself is a 409', async () => {
    const survivor = await makeMember(platform.db.pg)
    const merged = await makeMember(platform.db.pg, { name: 'Old Account' })
    await platform.db.pg.query("UPDATE members SET status = 'merged', merged_into = $2 WHERE id = $1", [merged.memberId, survivor.memberId])
    await platform.db.pg.query('UPDATE cards SET member_id = $2 WHERE member_id = $1', [merged.memberId, survivor.memberId])

    const refused = await erase(merged.memberId)
    expect(refused.status).toBe(409)
    expect((await json(refused)).detail).toContain(survivor.memberId)

    const { pseudonym } = await json(erase(survivor.memberId))
    const [row] = await platform.db.pg.query('SELECT status, name, email, erased_at FROM members WHERE id = $1', [merged.memberId])
    expect(row).toMatchObject({ status: 'merged', name: null, email: null })
    expect(await findInPostgres(platform, merged.cardNumber)).toEqual([])
    expect(await platform.db.pg.query('SELECT card_number FROM cards WHERE member_id = ANY ($1)', [[survivor.memberId, merged.memberId]])).toEqual([
      { card_number: pseudonym },
    ])
  })

  test('the export of an erased member holds only pseudonymous data', async () => {
    const m = await memberWithHistory()
    await platform.shipper().drain()
    const { pseudonym } = await json(erase(m.memberId))
    const doc = await json(platform.request('GET', `/v1/members/${m.memberId}/export`, { token: support.token }))
    const text = JSON.stringify(doc)
    for (const needle of [m.cardNumber, m.oldCard, m.email!, m.phone]) expect(text).not.toContain(needle)
    expect(doc.swipes).toHaveLength(3)
    expect(doc.swipes.every((s: { card_number: string }) => s.card_number === pseudonym)).toBe(true)
  })

  test('needs support or admin, a reason, and an existing member', async () => {
    const m = await makeMember(platform.db.pg)
    const marketer = await platform.createStaff(['marketer'])
    const path = `/v1/members/${m.memberId}/erase`
    expect((await platform.request('POST', path, { token: marketer.token, body: { reason: 'because' } })).status).toBe(403)
    const bad = await erase(m.memberId, { reason: '', extra: 1 })
    expect(bad.status).toBe(400)
    expect((await json(bad)).errors.map((e: { path: string }) => e.path).sort()).toEqual(['$.extra', '$.reason'])
    expect((await erase('mem_nobody')).status).toBe(404)
    const [row] = await platform.db.pg.query('SELECT status FROM members WHERE id = $1', [m.memberId])
    expect(row!.status).toBe('active')
  })
})
