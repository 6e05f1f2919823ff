import { couponRow, makeCampaign, spentCents, type TestCampaign } from '../../test/helpers/coupons'
import { makeMember, type TestMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/** POST /v1/coupons/:code/validate: every refusal reason, the discount, and that it changes nothing. */

let platform: TestPlatform
let store: { storeId: string; key: string }
let member: TestMember
let campaign: TestCampaign

beforeAll(async () => {
  platform = await startTestPlatform()
  store = await platform.createStore()
  member = await makeMember(platform.db.pg)
  campaign = await makeCampaign(platform.db.pg)
})
afterAll(() => platform.close())

const DAY = 86_400_000
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString()
// 2 × 0.99 + 12.49 = 14.47
const LINES = [
  { sku: 'MILK', category: 'Dairy', quantity: '2', unit_price: '0.99' },
  { sku: 'NAPPY', category: 'Baby', quantity: 1, unit_price: 12.49, discount: '1.45' },
]

const validate = (code: string, body: object = {}, key = store.key) =>
  platform.post(`/v1/coupons/${encodeURIComponent(code)}/validate`, { card_number: member.cardNumber, lines: LINES, ...body }, key)
const reasonOf = async (code: string, body: object = {}) => (await json(validate(code, body))).reason

describe('a valid coupon', () => {
  test('answers its discount and campaign, with or without dashes, in any case', async () => {
    const code = await campaign.coupon(member.memberId)
    const shown = code.toLowerCase().match(/.{1,4}/g)!.join('-')
    const res = await validate(shown)
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ code, valid: true, discount: '1.45', campaign_id: campaign.id })
  })

  test('changes nothing: the coupon stays issued and the budget unspent, so it validates again', async () => {
    const budgeted = await makeCampaign(platform.db.pg, { budget_cents: 10_000 })
    const code = await budgeted.coupon(member.memberId, { kind: 'amount', value: '5.00' })
    expect((await json(validate(code))).discount).toBe('5.00')
    expect((await json(validate(code))).valid).toBe(true)
    expect(await couponRow(platform.db.pg, code)).toMatchObject({ state: 'issued', redeemed_at: null, discount_cents: null })
    expect(await spentCents(platform.db.pg, budgeted.id)).toBe(0)
  })

  test('percent is capped at max_discount; an amount larger than its scope takes the scope', async () => {
    const capped = await campaign.coupon((await makeMember(platform.db.pg)).memberId, { value: '50.00', max_discount_cents: 300 })
    const other = await makeMember(platform.db.pg)
    expect((await json(platform.post(`/v1/coupons/${capped}/validate`, { card_number: other.cardNumber, lines: LINES }, store.key))).reason).toBe('not_yours')
    const mine = await makeCampaign(platform.db.pg)
    expect((await json(validate(await mine.coupon(member.memberId, { value: '50.00', max_discount_cents: 300 })))).discount).toBe('3.00')
    const amount = await makeCampaign(platform.db.pg)
    expect((await json(validate(await amount.coupon(member.memberId, { kind: 'amount', value: '5.00', category: 'Dairy' })))).discount).toBe('1.98')
  })
})

describe('each refusal reason', () => {
  test('unknown: no such code, or a mistyped one (its check character does not match)', async () => {
    const code = await (await makeCampaign(platform.db.pg)).coupon(member.memberId)
    const swapped = code.slice(0, 3) + code[4] + code[3] + code.slice(5)
    // A swap of equal characters is no mistake; 0 with Z is the one swap the check cannot see.
    if (swapped !== code && ![code[3], code[4]].sort().join('').match(/^0Z$/)) expect(await reasonOf(swapped)).toBe('unknown')
    expect(await reasonOf('NOT-A-CODE')).toBe('unknown')
    expect(await json(validate('0000000000000000'))).toEqual({ valid: false, reason: 'unknown' })
  })

  test("not_yours: another member's coupon, or a card nobody holds", async () => {
    const other = await makeMember(platform.db.pg)
    const c = await makeCampaign(platform.db.pg)
    expect(await reasonOf(await c.coupon(other.memberId))).toBe('not_yours')
    expect(await reasonOf(await c.coupon(member.memberId), { card_number: '4111111111111111' })).toBe('not_yours')
  })

  test('not_yet_valid and expired, at occurred_at when given, else now', async () => {
    const c = await makeCampaign(platform.db.pg)
    const later = await c.coupon(member.memberId, { valid_from: iso(DAY), valid_until: iso(10 * DAY) })
    expect(await reasonOf(later)).toBe('not_yet_valid')
    expect((await json(validate(later, { occurred_at: iso(2 * DAY) }))).valid).toBe(true)
    const c2 = await makeCampaign(platform.db.pg)
    const past = await c2.coupon(member.memberId, { valid_from: iso(-10 * DAY), valid_until: iso(-DAY) })
    expect(await reasonOf(past)).toBe('expired')
  })

  test('already_used and void', async () => {
    expect(await reasonOf(await (await makeCampaign(platform.db.pg)).coupon(member.memberId, { state: 'redeemed' }))).toBe('already_used')
    expect(await reasonOf(await (await makeCampaign(platform.db.pg)).coupon(member.memberId, { state: 'void' }))).toBe('void')
  })

  test('min_basket_not_met counts the basket before any discount', async () => {
    const c = await makeCampaign(platform.db.pg)
    expect((await json(validate(await c.coupon(member.memberId, { min_basket_cents: 1447 })))).valid).toBe(true)
    const c2 = await makeCampaign(platform.db.pg)
    expect(await reasonOf(await c2.coupon(member.memberId, { min_basket_cents: 1448 }))).toBe('min_basket_not_met')
  })

  test('out_of_scope: no line in the category or among the SKUs', async () => {
    expect(await reasonOf(await (await makeCampaign(platform.db.pg)).coupon(member.memberId, { category: 'Toys' }))).toBe('out_of_scope')
    expect(await reasonOf(await (await makeCampaign(platform.db.pg)).coupon(member.memberId, { skus: ['TEDDY'] }))).toBe('out_of_scope')
  })

  test('budget_exhausted: the remaining budget does not cover the discount', async () => {
    const c = await makeCampaign(platform.db.pg, { budget_cents: 1000, spent_cents: 900 })
    expect(await reasonOf(await c.coupon(member.memberId, { kind: 'amount', value: '1.01' }))).toBe('budget_exhausted')
  })
})

describe('the request', () => {
  test('a bad body is a 400 naming each bad field', async () => {
    const res = await platform.post('/v1/coupons/X/validate', { card_number: '123', lines: [{ sku: 'A', category: 'B', quantity: 0, unit_price: 'x' }], extra: 1 }, store.key)
    expect(res.status).toBe(400)
    const paths = (await json(res)).errors.map((e: { path: string }) => e.path)
    expect(paths).toEqual(expect.arrayContaining(['$.card_number', '$.lines[0].quantity', '$.lines[0].unit_price', '$.extra']))
  })

  test('tills only: no key is a 401', async () => {
    const res = await platform.request('POST', '/v1/coupons/X/validate', { body: { card_number: member.cardNumber, lines: LINES } })
    expect(res.status).toBe(401)
  })
})
