import { insertSwipes, mapCards } from '../../test/helpers/analytics'
import { makeCampaign } from '../../test/helpers/coupons'
import { makeCardNumber } from '../../test/helpers/factories'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { splitStatements } from '../platform/migrator'
import fs from 'node:fs'
import path from 'node:path'

/**
 * The overview and stores pages' figures through HTTP, worked by hand (docs/dashboards.md).
 * Range 2026-01-26 … 2026-02-08: 6 days of January, 8 of February.
 */
let platform: TestPlatform
let marketer: string
const store = { a: '', b: '', c: '' }
const [card1, card2, card3, card4] = [makeCardNumber(), makeCardNumber(), makeCardNumber(), makeCardNumber()]
const RANGE = 'from=2026-01-26&to=2026-02-08'
const line = (price: string, quantity = '1') => ({ sku: 'SKU-1', category: 'Grocery', quantity, unit_price: price })
const get = (p: string, token = marketer) => platform.request('GET', p, { token })
const errorPaths = async (res: Response) => ((await json(res)).errors as { path: string }[]).map((e) => e.path).sort()

async function ledger(memberId: string, kind: string, points: number, at: string) {
  await platform.db.pg.query(
    `INSERT INTO points_ledger (id, member_id, kind, points, balance_after, reason, source_type, occurred_at)
     VALUES ((SELECT coalesce(max(id), 0) + 1 FROM points_ledger), $1, $2, $3, 0, 'test', 'system', $4)`,
    [memberId, kind, points, at],
  )
}

beforeAll(async () => {
  platform = await startTestPlatform({ clock: () => new Date('2026-03-15T12:00:00Z') })
  marketer = (await platform.createStaff(['marketer'])).token
  for (const [key, name] of [['a', 'Alpha'], ['b', 'Bravo'], ['c', 'Charlie']] as const) {
    store[key] = (await platform.createStore()).storeId
    await platform.db.pg.query('UPDATE stores SET name = $2 WHERE id = $1', [store[key], name])
  }
  const [sale1] = await insertSwipes(platform.ch, [
    { card: card1, store: store.a, at: '2026-01-30T10:00:00Z', lines: [line('100.00')] },
    // 23:30 local at −02:00 is 01:30 UTC on 1 February: days are UTC days.
    { card: card2, store: store.a, at: '2026-01-31T23:30:00-02:00', lines: [line('25.00', '2'), line('10.00')] },
    { card: card1, store: store.b, at: '2026-01-27T09:00:00Z', lines: [line('20.00')] },
    { card: card4, store: store.b, at: '2026-02-05T10:00:00Z', lines: [line('30.00')] },
    // Outside the range.
    { card: card4, store: store.b, at: '2026-02-09T00:00:00Z', lines: [line('999.00')] },
  ])
  await insertSwipes(platform.ch, [{ card: card1, store: store.a, at: '2026-02-02T09:00:00Z', kind: 'return', original: sale1!.txn, lines: [line('100.00')] }])
  // A batch sent twice with the same dedup token (the shipper re-sending after a crash).
  const dup = [{ card: card3, store: store.a, txn: 'T-dup-1', at: '2026-02-03T12:00:00Z', lines: [line('40.00')] }]
  await insertSwipes(platform.ch, dup, 'batch-17')
  await insertSwipes(platform.ch, dup, 'batch-17')

  const member = await mapCards(platform.db.pg, [], 'active')
  await ledger(member, 'earn', 50, '2026-01-30T10:00:00Z')
  await ledger(member, 'earn', 100, '2026-02-01T01:30:00Z')
  await ledger(member, 'redeem', -30, '2026-02-03T08:00:00Z')
  await ledger(member, 'restore', 10, '2026-02-03T09:00:00Z')
  await ledger(member, 'earn', 70, '2026-02-09T00:00:00Z')
  const campaign = await makeCampaign(platform.db.pg)
  const issued = [
    ['2026-01-26T00:00:00Z', 'redeemed'],
    ['2026-02-01T00:00:00Z', 'redeemed'],
    ['2026-02-08T23:59:59Z', 'issued'],
    ['2026-02-09T00:00:00Z', 'redeemed'],
  ] as const
  for (const [at, state] of issued) {
    const code = await campaign.coupon(await mapCards(platform.db.pg, [], 'active'), { state })
    await platform.db.pg.query('UPDATE coupons SET issued_at = $2 WHERE code = $1', [code, at])
  }
  await platform.request('PUT', `/v1/stores/${store.a}/targets`, {
    token: (await platform.createStaff(['admin'])).token,
    body: [{ month: '2026-01', sales: '1000.00' }, { month: '2026-02', sales: '2800.00' }],
  })
  const admin = (await platform.createStaff(['admin'])).token
  await platform.request('PUT', `/v1/stores/${store.b}/targets`, { token: admin, body: [{ month: '2026-01', sales: '620.00' }, { month: '2026-02', sales: '280.00' }] })
  // Charlie has January only: a period touching February has no target for it.
  await platform.request('PUT', `/v1/stores/${store.c}/targets`, { token: admin, body: [{ month: '2026-01', sales: '500.00' }] })
}, 60_000)

afterAll(() => platform?.close())

describe('GET /v1/dashboard/overview', () => {
  it('totals net out returns, count a re-sent batch once and a card once over the range', async () => {
    const res = await get(`/v1/dashboard/overview?${RANGE}`)
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body.totals).toEqual({
      swipes: 6,
      sale_swipes: 5,
      return_swipes: 1,
      sales: '150.00', // 100 + 60 + 20 + 30 + 40 − 100
      average_basket: '50.00', // 250.00 gross ÷ 5 sales
      active_cards: 4, // card1 sold on two days at two stores, counted once
      points_issued: 150,
      points_redeemed: 20, // 30 redeemed, 10 given back
      coupons_issued: 3,
      coupons_redeemed: 2,
      coupon_redemption_rate: 0.6667,
    })
    expect(body.days).toHaveLength(14)
  })

  it('lists every day, zeros included, by UTC day', async () => {
    const days = new Map((await json(get(`/v1/dashboard/overview?${RANGE}`))).days.map((d: { day: string }) => [d.day, d]))
    expect(days.get('2026-01-31')).toEqual({ day: '2026-01-31', swipes: 0, sale_swipes: 0, return_swipes: 0, sales: '0.00', average_basket: null, active_cards: 0, points_issued: 0, points_redeemed: 0 })
    expect(days.get('2026-02-01')).toMatchObject({ swipes: 1, sales: '60.00', average_basket: '60.00', active_cards: 1, points_issued: 100 })
    expect(days.get('2026-02-02')).toMatchObject({ swipes: 1, sale_swipes: 0, return_swipes: 1, sales: '-100.00', average_basket: null, active_cards: 0 })
    expect(days.get('2026-02-03')).toMatchObject({ swipes: 1, sales: '40.00', points_redeemed: 20 })
  })

  it('defaults to the last 30 days ending today (UTC)', async () => {
    const body = await json(get('/v1/dashboard/overview'))
    expect([body.from, body.to, body.days.length]).toEqual(['2026-02-14', '2026-03-15', 30])
  })

  it('the migration backfill gives the same figures as the view', async () => {
    const before = await json(get(`/v1/dashboard/overview?${RANGE}`))
    const file = fs.readFileSync(path.join(__dirname, '../../sql/clickhouse/migrations/0005_daily_sales.sql'), 'utf8')
    const backfill = splitStatements(file).find((s) => s.includes('INSERT INTO daily_store_sales'))!
    await platform.ch.client.command({ query: backfill }) // the table is not empty: adds nothing
    expect(await json(get(`/v1/dashboard/overview?${RANGE}`))).toEqual(before)
    await platform.ch.client.command({ query: 'TRUNCATE TABLE daily_store_sales' })
    await platform.ch.client.command({ query: backfill })
    expect(await json(get(`/v1/dashboard/overview?${RANGE}`))).toEqual(before)
  })

  it("an erasure's copy of a member's swipes under their pseudonym does not count them again", async () => {
    const before = await json(get(`/v1/dashboard/overview?${RANGE}`))
    const copy = fs.readFileSync(path.join(__dirname, '../../sql/clickhouse/queries/privacy/copy-swipes-to-pseudonym.sql'), 'utf8')
    await platform.ch.client.command({ query: copy, query_params: { cards: [card1], pseudonym: 'erased-0123456789abcdef' } })
    const copied = await platform.ch.client.query({ query: "SELECT count() AS n FROM swipes WHERE card_number = 'erased-0123456789abcdef'", format: 'JSONEachRow' })
    expect(await copied.json()).toEqual([{ n: '3' }]) // the copy happened: card1's two sales and its return
    expect(await json(get(`/v1/dashboard/overview?${RANGE}`))).toEqual(before)
  })

  it('refuses bad dates, reversed and over-long ranges, unknown parameters', async () => {
    expect(await errorPaths(await get('/v1/dashboard/overview?from=2026-13-01'))).toEqual(['$.from'])
    expect(await errorPaths(await get('/v1/dashboard/overview?from=2026-02-10&to=2026-02-09'))).toEqual(['$.to'])
    expect(await errorPaths(await get('/v1/dashboard/overview?from=2020-01-01&to=2026-01-01'))).toEqual(['$.from'])
    expect(await errorPaths(await get('/v1/dashboard/stores?to=yesterday&colour=red'))).toEqual(['$.colour', '$.to'])
  })
})

describe('GET /v1/dashboard/stores', () => {
  it('nets sales against targets prorated across the month boundary, best attainment first', async () => {
    const res = await get(`/v1/dashboard/stores?${RANGE}`)
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body.weeks).toEqual(['2026-01-26', '2026-02-02'])
    expect(body.stores).toEqual([
      {
        store_id: store.b,
        name: 'Bravo',
        net_sales: '50.00',
        target: '200.00', // 620 × 6/31 + 280 × 8/28
        attainment_pct: 25,
        trend: [{ week: '2026-01-26', net_sales: '20.00' }, { week: '2026-02-02', net_sales: '30.00' }],
      },
      {
        store_id: store.a,
        name: 'Alpha',
        net_sales: '100.00', // 100 + 60 − 100 + 40 (the re-sent batch once)
        target: '993.55', // 1000 × 6/31 = 193.548… + 2800 × 8/28 = 800
        attainment_pct: 10.1,
        trend: [{ week: '2026-01-26', net_sales: '160.00' }, { week: '2026-02-02', net_sales: '-60.00' }],
      },
      {
        store_id: store.c,
        name: 'Charlie',
        net_sales: '0.00',
        target: null,
        attainment_pct: null,
        trend: [{ week: '2026-01-26', net_sales: '0.00' }, { week: '2026-02-02', net_sales: '0.00' }],
      },
    ])
  })

  it("a period inside one month takes that month's share", async () => {
    const body = await json(get('/v1/dashboard/stores?from=2026-01-01&to=2026-01-31'))
    const charlie = body.stores.find((s: { name: string }) => s.name === 'Charlie')
    expect(charlie).toMatchObject({ target: '500.00', attainment_pct: 0 })
  })
})

describe('who may read', () => {
  it('support and members are refused the dashboards; analysts and admins read them', async () => {
    const support = (await platform.createStaff(['support'])).token
    const memberToken = platform.memberToken(await mapCards(platform.db.pg, [], 'active'))
    for (const p of ['/v1/dashboard/overview', '/v1/dashboard/stores', '/v1/segments/grid']) {
      expect((await get(p, support)).status).toBe(403)
      expect((await get(p, memberToken)).status).toBe(401)
    }
    expect((await get('/v1/dashboard/overview', (await platform.createStaff(['analyst'])).token)).status).toBe(200)
    expect((await get('/v1/dashboard/stores', (await platform.createStaff(['admin'])).token)).status).toBe(200)
  })
})
