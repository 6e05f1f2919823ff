import { makeMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { postSales } from './privacy.fixtures'
import { shipOnceClaimed } from '../../test/helpers/shipping'

let platform: TestPlatform
let store: { storeId: string; key: string }

beforeAll(async () => {
  platform = await startTestPlatform()
  store = await platform.createStore()
})
afterAll(() => platform.close())

describe('GET /v1/members/:id/export (support staff)', () => {
  test('is one JSON document of everything held: rows, ledger, audit, and swipes from ClickHouse and the journal', async () => {
    const m = await makeMember(platform.db.pg, { name: 'Grace Hopper', points: 40 })
    const support = await platform.createStaff(['support'])
    await platform.request('PATCH', '/v1/me/consents', { token: platform.memberToken(m.memberId), body: { email: true } })
    const shipped = await postSales(platform, store.key, [m.cardNumber, m.cardNumber])
    await platform.shipper().drain()
    const unshipped = await postSales(platform, store.key, [m.cardNumber])
    const stranger = await makeMember(platform.db.pg)
    await postSales(platform, store.key, [stranger.cardNumber])

    const res = await platform.request('GET', `/v1/members/${m.memberId}/export`, { token: support.token })
    expect(res.status).toBe(200)
    const doc = await json(res)
    expect(doc.members).toEqual([expect.objectContaining({ id: m.memberId, name: 'Grace Hopper', email: m.email, has_secret: true })])
    expect(JSON.stringify(doc)).not.toMatch(/secret_hash|scrypt\$/)
    expect(doc.cards).toEqual([expect.objectContaining({ card_number: m.cardNumber, status: 'active' })])
    expect(doc.consents).toEqual([expect.objectContaining({ channel: 'email', granted: true })])
    expect(doc.consent_events).toEqual([expect.objectContaining({ channel: 'email', granted: true, source: 'member' })])
    expect(doc.point_accounts[0].balance).toBe(doc.ledger.reduce((sum: number, e: { points: number }) => sum + e.points, 0))
    expect(doc.ledger[0]).toMatchObject({ kind: 'adjust', points: 40 })
    expect(doc.lots[0]).toMatchObject({ points: 40, remaining: 40 })
    expect(doc.audit.map((a: { action: string }) => a.action)).toContain('member.consents')

    // ClickHouse: the shipped swipes with their lines, and none of the stranger's.
    expect(doc.swipes.map((s: { txn_id: string }) => s.txn_id).sort()).toEqual(shipped.map((s) => s.txn_id).sort())
    expect(doc.swipes[0]).toMatchObject({ card_number: m.cardNumber, store_id: store.storeId, total: '3.97' })
    expect(doc.swipes[0].lines.map((l: { sku: string; amount: string }) => [l.sku, l.amount])).toEqual([
      ['MILK-1L', '1.98'],
      ['BREAD-WH', '1.99'],
    ])
    // The journal: the swipe accepted but not yet shipped.
    expect(doc.unshipped_swipes.map((s: { txn_id: string }) => s.txn_id)).toEqual([unshipped[0]!.txn_id])
    expect(doc.unshipped_swipes[0].swipe).toMatchObject({ card_number: m.cardNumber, total: '3.97' })
    expect(JSON.stringify(doc)).not.toContain(stranger.cardNumber)
  })

  test('a swipe both in ClickHouse and in an unmarked batch appears once', async () => {
    const m = await makeMember(platform.db.pg)
    const support = await platform.createStaff(['support'])
    await postSales(platform, store.key, [m.cardNumber])
    const crashing = platform.shipper({ afterInsert: async () => Promise.reject(new Error('crash after insert')) })
    await expect(shipOnceClaimed(crashing)).rejects.toThrow('crash after insert')
    const doc = await json(platform.request('GET', `/v1/members/${m.memberId}/export`, { token: support.token }))
    expect(doc.swipes).toHaveLength(1)
    expect(doc.unshipped_swipes).toHaveLength(0)
    await platform.shipper().drain()
  })

  test('is recorded in the audit log without the data', async () => {
    const m = await makeMember(platform.db.pg)
    const admin = await platform.createStaff(['admin'])
    expect((await platform.request('GET', `/v1/members/${m.memberId}/export`, { token: admin.token })).status).toBe(200)
    const [entry] = await platform.db.pg.query("SELECT actor_id, before, after FROM audit_log WHERE action = 'member.export' AND entity_id = $1", [m.memberId])
    expect(entry).toEqual({ actor_id: admin.userId, before: null, after: null })
  })

  test('needs the support or admin role; a member token, another role or no token is refused', async () => {
    const m = await makeMember(platform.db.pg)
    const analyst = await platform.createStaff(['analyst', 'marketer'])
    const path = `/v1/members/${m.memberId}/export`
    expect((await platform.request('GET', path, { token: analyst.token })).status).toBe(403)
    expect((await platform.request('GET', path, { token: platform.memberToken(m.memberId) })).status).toBe(401)
    expect((await platform.request('GET', path)).status).toBe(401)
  })

  test('an unknown member is a 404', async () => {
    const support = await platform.createStaff(['support'])
    for (const id of ['mem_doesnotexist', 'not-a-member-id']) {
      const res = await platform.request('GET', `/v1/members/${id}/export`, { token: support.token })
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toMatch(/problem\+json/)
    }
  })
})

describe('GET /v1/me/export', () => {
  test('gives the member their own document, swipes included', async () => {
    const m = await makeMember(platform.db.pg)
    const [sale] = await postSales(platform, store.key, [m.cardNumber])
    await platform.shipper().drain()
    const res = await platform.request('GET', '/v1/me/export', { token: platform.memberToken(m.memberId) })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(/attachment/)
    const doc = await json(res)
    expect(doc.member_id).toBe(m.memberId)
    expect(doc.swipes.map((s: { txn_id: string }) => s.txn_id)).toEqual([sale!.txn_id])
  })
})
