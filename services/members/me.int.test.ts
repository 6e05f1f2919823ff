import { book, lockAccounts } from '../points/ledger'
import { updateConsents } from './update-consents'
import { makeMember, type TestMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

let platform: TestPlatform

beforeAll(async () => {
  platform = await startTestPlatform()
})
afterAll(() => platform.close())

const DAY_MS = 86_400_000
const get = (path: string, m: TestMember) => platform.request('GET', path, { token: platform.memberToken(m.memberId) })

/** Books `points` for a member as a staff adjustment that happened at `occurredAt` (24-month expiry). */
async function adjust(memberId: string, points: number[], occurredAt = new Date()) {
  await platform.db.pg.transaction(async (tx) => {
    const accounts = await lockAccounts(tx, [memberId])
    await book(
      tx,
      accounts,
      points.map((p) => ({ memberId, kind: 'adjust' as const, points: p, reason: 'test', source: { type: 'system' as const, id: 'test' }, occurredAt })),
      { expiryMonths: 24 },
    )
  })
}

/** When points earned then expire in `days` days: 24 months before now + days (expiry is end of that UTC day). */
function earnedSoThatExpiresIn(days: number): Date {
  const d = new Date(Date.now() + days * DAY_MS)
  d.setUTCMonth(d.getUTCMonth() - 24)
  return d
}

describe('GET /v1/me', () => {
  test('shows the profile, cards masked but for the last 4 digits, and every consent channel with its time', async () => {
    const m = await makeMember(platform.db.pg, { name: 'Ada Lovelace', tier: 'silver' })
    await platform.request('PATCH', '/v1/me/consents', { token: platform.memberToken(m.memberId), body: { sms: true } })
    const res = await get('/v1/me', m)
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(text).not.toContain(m.cardNumber)
    expect(text).not.toContain('secret_hash')
    const me = JSON.parse(text)
    expect(me).toMatchObject({ id: m.memberId, name: 'Ada Lovelace', email: m.email, status: 'active', tier: 'silver' })
    expect(me.cards).toEqual([expect.objectContaining({ card: `*********${m.cardNumber.slice(-4)}`, status: 'active' })])
    expect(me.consents.map((c: { channel: string }) => c.channel)).toEqual(['email', 'sms', 'personalised_offers'])
    expect(me.consents[1]).toMatchObject({ channel: 'sms', granted: true, source: 'member' })
    expect(Date.parse(me.consents[1].changed_at)).toBeGreaterThan(Date.now() - 60_000)
    expect(me.consents[0]).toEqual({ channel: 'email', granted: false, changed_at: null, source: null })
  })

  test('needs a member token', async () => {
    expect((await platform.request('GET', '/v1/me')).status).toBe(401)
  })
})

describe('GET /v1/me/balance', () => {
  test('a member who is no longer active gets 401, not their balance (the route checks status in its own query)', async () => {
    for (const status of ['blocked', 'erased'] as const) {
      const m = await makeMember(platform.db.pg, { points: 70 })
      const token = platform.memberToken(m.memberId)
      expect((await platform.request('GET', '/v1/me/balance', { token })).status).toBe(200)
      await platform.db.pg.query('UPDATE members SET status = $2 WHERE id = $1', [m.memberId, status])
      const res = await platform.request('GET', '/v1/me/balance', { token })
      expect(res.status).toBe(401)
      const body = await res.json()
      expect(body).toMatchObject({ status: 401, code: 'unauthorized' })
      expect(body).not.toHaveProperty('balance')
    }
  })

  test('gives the balance, tier progress over the rolling 12 months and points expiring within 30, 60 and 90 days', async () => {
    const m = await makeMember(platform.db.pg, { tier: 'bronze' })
    await adjust(m.memberId, [10], earnedSoThatExpiresIn(20))
    await adjust(m.memberId, [20], earnedSoThatExpiresIn(45))
    await adjust(m.memberId, [40], earnedSoThatExpiresIn(80))
    await adjust(m.memberId, [80], earnedSoThatExpiresIn(100))
    await adjust(m.memberId, [160], earnedSoThatExpiresIn(-3)) // expired, not yet swept: not "expiring"
    const today = new Date()
    const day = (monthsBack: number, daysBack = 0) => {
      const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - monthsBack, today.getUTCDate() - daysBack))
      return d.toISOString().slice(0, 10)
    }
    await platform.db.pg.query(
      `INSERT INTO member_daily_spend (member_id, day, amount) VALUES
       ($1, $2, 300.00), ($1, $3, 0.50), ($1, $4, 999.00), ($1, $5, 5000.00)`,
      // 10 days ago, 12 months less a day ago (inside), exactly 12 months ago (outside), 13 months ago.
      [m.memberId, day(0, 10), day(12, -1), day(12), day(13)],
    )
    const balance = await json(get('/v1/me/balance', m))
    expect(balance.balance).toBe(310)
    expect(balance.tier).toMatchObject({ code: 'bronze', name: 'Bronze' })
    expect(balance.tier_progress).toEqual({
      spend_12m: '300.50',
      next_tier: { code: 'silver', name: 'Silver', min_spend: '500.00' },
      needed: '199.50',
      percent: 60,
    })
    expect(balance.expiring.map((e: { within_days: number; points: number }) => [e.within_days, e.points])).toEqual([
      [30, 10],
      [60, 30],
      [90, 70],
    ])
  })

  test('a new member with nothing has zero everywhere and the first step of the ladder ahead', async () => {
    const m = await makeMember(platform.db.pg)
    const balance = await json(get('/v1/me/balance', m))
    expect(balance).toMatchObject({ balance: 0, tier: { code: 'bronze', name: 'Bronze' }, tier_progress: { spend_12m: '0.00', needed: '500.00', percent: 0 } })
    expect(balance.expiring.map((e: { within_days: number; points: number }) => [e.within_days, e.points])).toEqual([[30, 0], [60, 0], [90, 0]])
  })
})

describe('GET /v1/me/ledger', () => {
  test('pages through every entry, newest first, including those of members merged into them, and no one else’s', async () => {
    const m = await makeMember(platform.db.pg)
    const merged = await makeMember(platform.db.pg, { status: 'anonymous', points: 5 })
    const stranger = await makeMember(platform.db.pg, { points: 7 })
    await platform.db.pg.query("UPDATE members SET status = 'merged', merged_into = $2 WHERE id = $1", [merged.memberId, m.memberId])
    // The next ids get one more digit than any so far, so ordering by their text would fail.
    await platform.db.pg.query("SELECT setval('points_id_blocks', (SELECT ceil(power(10, length(max(id)::text)) / 1024.0)::bigint FROM points_ledger))")
    await adjust(m.memberId, [1, 2, 3, 4, 5, 6, 7])
    const expected = (
      await platform.db.pg.query<{ id: string }>('SELECT id::text FROM points_ledger WHERE member_id = ANY ($1) ORDER BY points_ledger.id DESC', [[m.memberId, merged.memberId]])
    ).map((r) => r.id)
    expect(expected).toHaveLength(8)

    const seen: { id: string; merged_from?: string }[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: { items: { id: string }[]; next_cursor: string | null } = await json(
        get(`/v1/me/ledger?limit=3${cursor ? `&cursor=${cursor}` : ''}`, m),
      )
      seen.push(...page.items)
      cursor = page.next_cursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen.map((e) => e.id)).toEqual(expected)
    expect(seen.filter((e) => e.merged_from === merged.memberId)).toHaveLength(1)
    const strangerIds = await platform.db.pg.query('SELECT id::text FROM points_ledger WHERE member_id = $1', [stranger.memberId])
    expect(seen.map((e) => e.id)).not.toContain(strangerIds[0]!.id)
  })

  test('entries carry integer points and the balance after them', async () => {
    const m = await makeMember(platform.db.pg, { points: 12 })
    const page = await json(get('/v1/me/ledger', m))
    expect(page.items).toEqual([expect.objectContaining({ kind: 'adjust', points: 12, balance_after: 12 })])
    expect(page.next_cursor).toBeNull()
  })

  test('a bad limit, a forged cursor or an unknown parameter is a 400 naming it', async () => {
    const m = await makeMember(platform.db.pg)
    const res = await get('/v1/me/ledger?limit=0&member_id=mem_x', m)
    expect(res.status).toBe(400)
    expect((await json(res)).errors.map((e: { path: string }) => e.path).sort()).toEqual(['$.limit', '$.member_id'])
    const forged = await get(`/v1/me/ledger?cursor=${Buffer.from('x1').toString('base64url')}`, m)
    expect(forged.status).toBe(400)
    expect((await json(forged)).errors).toEqual([{ path: '$.cursor', message: 'is not a cursor from a previous page' }])
  })
})

test('a consent change that reaches the database after the member was merged away writes nothing', async () => {
  // The request passed the sign-in check; a merge committed before its transaction ran.
  const m = await makeMember(platform.db.pg)
  const target = await makeMember(platform.db.pg)
  await platform.db.pg.query("UPDATE members SET status = 'merged', merged_into = $2 WHERE id = $1", [m.memberId, target.memberId])
  const change = updateConsents({ pg: platform.db.pg, clock: () => new Date() }, m.memberId, { email: true }, { actor: { type: 'member', id: m.memberId }, source: 'member' })
  await expect(change).rejects.toMatchObject({ status: 401 })
  const rows = await platform.db.pg.query('SELECT 1 FROM member_consents WHERE member_id = $1 UNION ALL SELECT 1 FROM consent_events WHERE member_id = $1', [m.memberId])
  expect(rows).toEqual([])
})

describe('a member cannot reach another member’s data', () => {
  test('no /v1/me route takes a member id, and the staff export refuses a member token', async () => {
    const a = await makeMember(platform.db.pg, { points: 3 })
    const b = await makeMember(platform.db.pg, { points: 900 })
    const balance = await json(get('/v1/me/balance', a))
    expect(balance.balance).toBe(3)
    // A member id in the query string changes nothing: the answer is still the caller's own.
    expect((await json(get(`/v1/me/balance?member_id=${b.memberId}`, a))).balance).toBe(3)
    expect((await get(`/v1/members/${b.memberId}/export`, a)).status).toBe(401)
    expect((await platform.request('POST', `/v1/members/${b.memberId}/erase`, { token: platform.memberToken(a.memberId), body: { reason: 'because' } })).status).toBe(401)
    const mine = await (await get('/v1/me/export', a)).text()
    expect(mine).toContain(a.memberId)
    expect(mine).not.toContain(b.memberId)
    expect(mine).not.toContain(b.cardNumber)
  })
})

describe('GET /v1/me/coupons', () => {
  test('is an empty list for a member who has had no offer (coupons: campaigns/launch.int.test.ts)', async () => {
    const m = await makeMember(platform.db.pg)
    expect(await json(get('/v1/me/coupons', m))).toEqual({ items: [], truncated: false })
  })
})
