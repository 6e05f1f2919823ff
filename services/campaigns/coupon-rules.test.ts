import { budgetCovers, checkCoupon, discountOf, lineCents, type BasketLine, type CouponTerms } from './coupon-rules'

const AT = new Date('2026-11-20T10:00:00Z')

function coupon(overrides: Partial<CouponTerms> = {}): CouponTerms {
  return {
    code: 'C',
    campaign_id: '1',
    owner_id: 'mem_a',
    kind: 'percent',
    value: '10.00',
    max_discount_cents: null,
    category: null,
    skus: null,
    min_basket_cents: '0',
    valid_from: new Date('2026-11-01T00:00:00Z'),
    valid_until: new Date('2026-12-01T00:00:00Z'),
    state: 'issued',
    ...overrides,
  }
}

const line = (sku: string, category: string, quantity: string, unit_price: string): BasketLine => ({ sku, category, quantity, unit_price })
const BASKET = [line('MILK', 'Dairy', '2.000', '0.9900'), line('NAPPY', 'Baby', '1.000', '12.4900')]

describe('the checks, in their documented order', () => {
  test('no such code is unknown', () => {
    expect(checkCoupon(undefined, 'mem_a', AT, BASKET)).toEqual({ ok: false, reason: 'unknown' })
  })

  test("another member's coupon is not_yours, before anything else about it", () => {
    expect(checkCoupon(coupon({ state: 'redeemed' }), 'mem_b', AT, BASKET)).toEqual({ ok: false, reason: 'not_yours' })
    expect(checkCoupon(coupon(), undefined, AT, BASKET)).toEqual({ ok: false, reason: 'not_yours' })
  })

  test('validity is [valid_from, valid_until): before is not_yet_valid, at the end is expired', () => {
    expect(checkCoupon(coupon(), 'mem_a', new Date('2026-10-31T23:59:59.999Z'), BASKET)).toMatchObject({ reason: 'not_yet_valid' })
    expect(checkCoupon(coupon(), 'mem_a', new Date('2026-11-01T00:00:00Z'), BASKET)).toMatchObject({ ok: true })
    expect(checkCoupon(coupon(), 'mem_a', new Date('2026-12-01T00:00:00Z'), BASKET)).toMatchObject({ reason: 'expired' })
    expect(checkCoupon(coupon({ state: 'redeemed' }), 'mem_a', new Date('2027-01-01T00:00:00Z'), BASKET)).toMatchObject({ reason: 'expired' })
  })

  test('a redeemed coupon is already_used, a voided one void', () => {
    expect(checkCoupon(coupon({ state: 'redeemed' }), 'mem_a', AT, BASKET)).toEqual({ ok: false, reason: 'already_used' })
    expect(checkCoupon(coupon({ state: 'void' }), 'mem_a', AT, BASKET)).toEqual({ ok: false, reason: 'void' })
  })

  test('the minimum basket counts every line before any discount, and is checked before the scope', () => {
    // 2 × 0.99 + 12.49 = 14.47
    expect(checkCoupon(coupon({ min_basket_cents: '1447', category: 'Dairy' }), 'mem_a', AT, BASKET)).toMatchObject({ ok: true })
    expect(checkCoupon(coupon({ min_basket_cents: '1448', category: 'Toys' }), 'mem_a', AT, BASKET)).toEqual({ ok: false, reason: 'min_basket_not_met' })
  })

  test('a basket without a line in the category or SKUs is out_of_scope', () => {
    expect(checkCoupon(coupon({ category: 'Toys' }), 'mem_a', AT, BASKET)).toEqual({ ok: false, reason: 'out_of_scope' })
    expect(checkCoupon(coupon({ skus: ['TEDDY'] }), 'mem_a', AT, BASKET)).toEqual({ ok: false, reason: 'out_of_scope' })
  })
})

describe('the discount', () => {
  test('basket scope: percent of every line', () => {
    expect(checkCoupon(coupon(), 'mem_a', AT, BASKET)).toEqual({ ok: true, discountCents: 145n }) // 10 % of 14.47 = 1.447
  })

  test('category and SKU scopes take only their lines', () => {
    expect(checkCoupon(coupon({ category: 'Baby', value: '20.00' }), 'mem_a', AT, BASKET)).toEqual({ ok: true, discountCents: 250n }) // 2.498
    expect(checkCoupon(coupon({ skus: ['MILK', 'X'], kind: 'amount', value: '1.00' }), 'mem_a', AT, BASKET)).toEqual({ ok: true, discountCents: 100n })
  })

  test('percent rounds half up to the cent', () => {
    expect(discountOf({ kind: 'percent', value: '10.00', max_discount_cents: null }, 125n)).toBe(13n) // 12.5 → 13
    expect(discountOf({ kind: 'percent', value: '10.00', max_discount_cents: null }, 124n)).toBe(12n) // 12.4 → 12
    expect(discountOf({ kind: 'percent', value: '12.50', max_discount_cents: null }, 1004n)).toBe(126n) // 125.5 → 126
    expect(discountOf({ kind: 'percent', value: '33.33', max_discount_cents: null }, 100n)).toBe(33n)
  })

  test('percent is capped at max_discount and never exceeds what is eligible', () => {
    expect(discountOf({ kind: 'percent', value: '50.00', max_discount_cents: '500' }, 10_000n)).toBe(500n)
    expect(discountOf({ kind: 'percent', value: '100.00', max_discount_cents: null }, 777n)).toBe(777n)
  })

  test('an amount larger than the scope takes the scope, no more', () => {
    expect(checkCoupon(coupon({ kind: 'amount', value: '5.00', category: 'Dairy' }), 'mem_a', AT, BASKET)).toEqual({ ok: true, discountCents: 198n })
    expect(discountOf({ kind: 'amount', value: '5.00', max_discount_cents: null }, 1_000n)).toBe(500n)
  })

  test('line values are exact: 3 × 0.3333 is 1.00, 0.005 × 1 rounds half up', () => {
    expect(lineCents(line('A', 'X', '3.000', '0.3333'))).toBe(100n)
    expect(lineCents(line('A', 'X', '1.000', '0.0050'))).toBe(1n)
    expect(lineCents(line('A', 'X', '0.333', '0.0100'))).toBe(0n)
  })
})

test('the budget covers a discount up to the last cent; no budget is no cap', () => {
  expect(budgetCovers({ budget_cents: '1000', spent_cents: '900' }, 100n)).toBe(true)
  expect(budgetCovers({ budget_cents: '1000', spent_cents: '900' }, 101n)).toBe(false)
  expect(budgetCovers({ budget_cents: null, spent_cents: '99999999' }, 10_000n)).toBe(true)
})
