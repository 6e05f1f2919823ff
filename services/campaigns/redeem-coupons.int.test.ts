import { chRows } from '../../test/helpers/databases'
import { makeSwipe } from '../../test/helpers/factories'
import { couponRow, makeCampaign, spentCents } from '../../test/helpers/coupons'
import { lockWaiters } from '../../test/helpers/locks'
import { makeMember, type TestMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { shipOnceClaimed } from '../../test/helpers/shipping'

/** Redemption inside POST /v1/swipes: the answer, retries, races, the budget, ClickHouse. */

let platform: TestPlatform
let store: { storeId: string; key: string }
let otherStore: { storeId: string; key: string }

beforeAll(async () => {
  platform = await startTestPlatform()
  store = await platform.createStore()
  otherStore = await platform.createStore()
})
afterAll(() => platform.close())

// Σ round(quantity × unit_price, 2) = 1.98 + 12.49 = 14.47; the till already took 1.45 off.
const LINES = [
  { sku: 'MILK', category: 'Dairy', quantity: '2', unit_price: '0.99' },
  { sku: 'NAPPY', category: 'Baby', quantity: '1', unit_price: '12.49', discount: '1.45' },
]
const sale = (member: TestMember, codes: string[], overrides: object = {}) =>
  makeSwipe({ card_number: member.cardNumber, lines: LINES, occurred_at: new Date(Date.now() - 60_000).toISOString(), coupon_codes: codes, ...overrides })

/** Holds a row lock in a transaction of its own until `release` is called. */
function holdLock(statement: string, params: unknown[]) {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const held = new Promise<void>((ready) => {
    void platform.db.pg.transaction(async (tx) => {
      await tx.query(statement, params)
      ready()
      await released
    })
  })
  return { held, release }
}

test('a sale with a coupon redeems it: applied in the answer, the coupon marked, the budget spent', async () => {
  const member = await makeMember(platform.db.pg)
  const campaign = await makeCampaign(platform.db.pg, { budget_cents: 10_000 })
  const code = await campaign.coupon(member.memberId)
  const swipe = sale(member, [code.toLowerCase().match(/.{1,4}/g)!.join('-')])
  const res = await platform.post('/v1/swipes', swipe, store.key)
  expect(res.status).toBe(201)
  expect((await json(res)).coupons).toEqual([{ code, status: 'applied', discount: '1.45', campaign_id: campaign.id }])
  expect(await couponRow(platform.db.pg, code)).toMatchObject({ state: 'redeemed', redeemed_store_id: store.storeId, redeemed_txn_id: swipe.txn_id, discount_cents: '145' })
  expect((await couponRow(platform.db.pg, code)).redeemed_at!.toISOString()).toBe(swipe.occurred_at)
  expect(await spentCents(platform.db.pg, campaign.id)).toBe(145)
})

test('a retry replays the same answer and redeems nothing more', async () => {
  const member = await makeMember(platform.db.pg)
  const campaign = await makeCampaign(platform.db.pg)
  const swipe = sale(member, [await campaign.coupon(member.memberId)])
  const first = await json(platform.post('/v1/swipes', swipe, store.key))
  const retry = await platform.post('/v1/swipes', swipe, store.key)
  expect(retry.status).toBe(200)
  expect(await json(retry)).toEqual(first)
  expect(first.coupons[0].status).toBe('applied')
  expect(await spentCents(platform.db.pg, campaign.id)).toBe(145)
})

test('the sale is kept whatever its coupons do; each code is answered in the order sent', async () => {
  const member = await makeMember(platform.db.pg)
  const other = await makeMember(platform.db.pg)
  const campaign = await makeCampaign(platform.db.pg)
  const theirs = await campaign.coupon(other.memberId)
  const mine = await (await makeCampaign(platform.db.pg)).coupon(member.memberId, { kind: 'amount', value: '2.00' })
  const res = await platform.post('/v1/swipes', sale(member, ['NOT-A-CODE', theirs, mine, mine]), store.key)
  expect(res.status).toBe(201)
  expect((await json(res)).coupons).toEqual([
    { code: 'NOT-A-CODE', status: 'refused', reason: 'unknown' },
    { code: theirs, status: 'refused', reason: 'not_yours' },
    { code: mine, status: 'applied', discount: '2.00', campaign_id: expect.any(Number) },
    { code: mine, status: 'refused', reason: 'already_used' },
  ])
  expect((await couponRow(platform.db.pg, theirs)).state).toBe('issued')
})

test('a sale without codes has no coupons in its answer', async () => {
  const member = await makeMember(platform.db.pg)
  const answer = await json(platform.post('/v1/swipes', sale(member, []), store.key))
  expect(answer).not.toHaveProperty('coupons')
})

test('the same coupon at two tills at once is redeemed once; the other till is told already_used', async () => {
  const member = await makeMember(platform.db.pg)
  const campaign = await makeCampaign(platform.db.pg)
  const code = await campaign.coupon(member.memberId)
  const lock = holdLock('SELECT 1 FROM coupons WHERE code = $1 FOR UPDATE', [code])
  await lock.held
  const posts = [platform.post('/v1/swipes', sale(member, [code]), store.key), platform.post('/v1/swipes', sale(member, [code]), otherStore.key)]
  // Two write groups in flight: one waits on the coupon, the other on the member's account.
  await lockWaiters(platform.db.pg, 2)
  lock.release()
  const outcomes = (await Promise.all(posts.map((p) => json(p)))).map((a) => a.coupons[0])
  expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(1)
  expect(outcomes.filter((o) => o.reason === 'already_used')).toHaveLength(1)
  expect((await couponRow(platform.db.pg, code)).discount_cents).toBe('145')
  expect(await spentCents(platform.db.pg, campaign.id)).toBe(145)
})

test('concurrent redemptions for the last of the budget: spent never exceeds it, the loser is told budget_exhausted', async () => {
  const campaign = await makeCampaign(platform.db.pg, { budget_cents: 1000, spent_cents: 300 })
  const members = await Promise.all([1, 2, 3].map(() => makeMember(platform.db.pg)))
  const codes = await Promise.all(members.map((m) => campaign.coupon(m.memberId, { kind: 'amount', value: '5.00' })))
  const lock = holdLock('SELECT 1 FROM campaigns WHERE id = $1 FOR UPDATE', [campaign.id])
  await lock.held
  const posts = members.map((m, i) => platform.post('/v1/swipes', sale(m, [codes[i]!]), [store, otherStore, store][i]!.key))
  await lockWaiters(platform.db.pg, 2) // both write groups in flight wait on the campaign row
  lock.release()
  const outcomes = (await Promise.all(posts.map((p) => json(p)))).map((a) => a.coupons[0])
  expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(1) // 300 + 500 fits 1000; another 500 does not
  expect(outcomes.filter((o) => o.reason === 'budget_exhausted')).toHaveLength(2)
  expect(await spentCents(platform.db.pg, campaign.id)).toBe(800)
  const states = await Promise.all(codes.map(async (c) => (await couponRow(platform.db.pg, c)).state))
  expect(states.sort()).toEqual(['issued', 'issued', 'redeemed'])
})

test('the redemption reaches ClickHouse once, also when a batch is re-sent after a crash', async () => {
  const member = await makeMember(platform.db.pg)
  const campaign = await makeCampaign(platform.db.pg)
  const code = await campaign.coupon(member.memberId)
  const swipe = sale(member, [code])
  await platform.post('/v1/swipes', swipe, store.key)
  const crashing = platform.shipper({
    afterInsert: async () => {
      throw new Error('simulated crash after insert, before mark')
    },
  })
  await expect(shipOnceClaimed(crashing)).rejects.toThrow('simulated crash')
  await platform.shipper().drain() // re-sends the unmarked batch first

  const query = (final: string) =>
    chRows(platform.ch, `SELECT campaign_id, event, code, member_id, at, store_id, txn_id, discount FROM coupon_events ${final} WHERE code = {c:String}`, { c: code })
  const expected = {
    campaign_id: String(campaign.id),
    event: 'redeemed',
    code,
    member_id: member.memberId,
    at: swipe.occurred_at.replace('T', ' ').replace('Z', ''),
    store_id: store.storeId,
    txn_id: swipe.txn_id,
    discount: '1.45',
  }
  expect(await query('')).toEqual([expected]) // plain read: the re-sent batch added nothing
  expect(await query('FINAL')).toEqual([expected])
})
