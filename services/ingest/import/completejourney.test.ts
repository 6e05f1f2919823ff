import fc from 'fast-check'
import { luhnValid } from '../card-number'
import { checkSwipe } from '../swipe-rules'
import {
  basketToSwipe,
  canonicalId,
  categoryOf,
  CjDataError,
  householdCardNumber,
  mapDataset,
  mapLine,
  parseCsvDecimal,
  unitPriceFor,
  UNKNOWN_CATEGORY,
  type CjProduct,
  type CjTransactionRow,
} from './completejourney'
import { CsvError, parseCsvLine } from './csv'

const products = new Map<string, CjProduct>([
  ['25671', { department: 'GROCERY', product_category: 'FRZN ICE' }],
  ['26081', { department: 'MISCELLANEOUS', product_category: '' }],
  ['13094913', { department: 'GROCERY', product_category: 'BAKED BREAD/BUNS/ROLLS' }],
  ['6534178', { department: 'FUEL', product_category: 'COUPON/MISC ITEMS' }],
])

let lineNo = 1
/** A transactions_sample.csv row; defaults are line 5 of the real file. */
function row(overrides: Partial<CjTransactionRow> = {}): CjTransactionRow {
  return {
    lineNo: ++lineNo,
    household_id: '400',
    store_id: '388',
    basket_id: '31932241118',
    product_id: '13094913',
    quantity: '2.0',
    sales_value: '11.87',
    retail_disc: '2.9',
    coupon_disc: '0.0',
    coupon_match_disc: '0.0',
    transaction_timestamp: '2017-02-18T18:13:10Z',
    ...overrides,
  }
}

const ctx = { now: new Date('2026-01-01T00:00:00Z'), skewSeconds: 300 }

/** The platform's own check (pure): accepted, and each line's amount as the platform works it out. */
function platformAmounts(swipe: unknown): string[] {
  const check = checkSwipe(swipe, ctx)
  if (!check.ok) throw new Error(`the platform refuses the swipe: ${JSON.stringify(check.problems)}`)
  return check.swipe.lines.map((l) => l.amount)
}

describe('CSV reading', () => {
  test('plain and quoted fields, doubled quotes, empty fields', () => {
    expect(parseCsvLine('25671,2,GROCERY,National,FRZN ICE,ICE - CRUSHED/CUBED,22 LB')).toHaveLength(7)
    expect(parseCsvLine('26081,2,MISCELLANEOUS,National,,,')).toEqual(['26081', '2', 'MISCELLANEOUS', 'National', '', '', ''])
    expect(parseCsvLine('1,"SOUP, CANNED","12"" SUB",x')).toEqual(['1', 'SOUP, CANNED', '12" SUB', 'x'])
    expect(parseCsvLine('"",""')).toEqual(['', ''])
    expect(() => parseCsvLine('1,"open')).toThrow(CsvError)
  })

  test('numbers as R writes them, exact decimal reading, half-up rounding to the scale', () => {
    expect(parseCsvDecimal('3.86', 2)).toEqual({ units: 386n, exact: true })
    expect(parseCsvDecimal('0.9', 2)).toEqual({ units: 90n, exact: true })
    expect(parseCsvDecimal('1.0', 3)).toEqual({ units: 1000n, exact: true })
    expect(parseCsvDecimal('32623.0', 3)).toEqual({ units: 32_623_000n, exact: true })
    // The float artefact of the file: 0.00 to the cent, flagged as rounded.
    expect(parseCsvDecimal('4.440892e-16', 2)).toEqual({ units: 0n, exact: false })
    expect(parseCsvDecimal('0.005', 2)).toEqual({ units: 1n, exact: false })
    expect(parseCsvDecimal('0.0049', 2)).toEqual({ units: 0n, exact: false })
    expect(parseCsvDecimal('-1.5', 2)).toEqual({ units: -150n, exact: true })
    expect(parseCsvDecimal('4.0128e+10', 0)).toEqual({ units: 40_128_000_000n, exact: true })
    expect(parseCsvDecimal('NA', 2)).toBeNull()
    expect(parseCsvDecimal('', 2)).toBeNull()
  })

  test('ids written in scientific notation are expanded to their digits', () => {
    expect(canonicalId('31932241118')).toBe('31932241118')
    expect(canonicalId('4.0128e+10')).toBe('40128000000') // basket_id, transactions line 37995
    expect(canonicalId('9e+05')).toBe('900000') // product_id in products.csv
    expect(canonicalId('1.5')).toBeNull()
    expect(canonicalId('1.5e0')).toBeNull()
    expect(canonicalId('-3')).toBeNull()
    expect(canonicalId('')).toBeNull()
  })
})

describe('household → loyalty card', () => {
  test("'9', the id padded to 11 digits, a Luhn check digit", () => {
    expect(householdCardNumber('2261')).toBe('9000000022617')
    expect(householdCardNumber('1')).toBe('9000000000019')
    expect(householdCardNumber('2500')).toBe('9000000025008')
    expect(() => householdCardNumber('12a')).toThrow(CjDataError)
    expect(() => householdCardNumber('123456789012')).toThrow(CjDataError)
  })

  test('always Luhn-valid, 13 digits, and one card per household', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), fc.integer({ min: 0, max: 99_999_999_999 }), (a, b) => {
        const card = householdCardNumber(String(a))
        expect(card).toMatch(/^9\d{12}$/)
        expect(luhnValid(card)).toBe(true)
        expect(card === householdCardNumber(String(b))).toBe(a === b)
      }),
    )
  })
})

describe('category', () => {
  test('department / product_category; the department alone when the category is empty', () => {
    expect(categoryOf(products, '25671')).toEqual({ category: 'GROCERY / FRZN ICE', known: true })
    expect(categoryOf(products, '26081')).toEqual({ category: 'MISCELLANEOUS', known: true })
  })

  test('a product missing from products.csv is UNKNOWN', () => {
    expect(categoryOf(products, '999')).toEqual({ category: UNKNOWN_CATEGORY, known: false })
    const mapped = mapLine(row({ product_id: '999' }), products)
    expect(mapped).toMatchObject({ knownProduct: false, line: { category: 'UNKNOWN', sku: '999' } })
  })
})

describe('unit price search', () => {
  test('exact when gross ÷ quantity has at most 4 decimals', () => {
    expect(unitPriceFor(2000n, 1477n)).toBe(73_850n) // 2 × 7.3850 = 14.77
    expect(unitPriceFor(1000n, 0n)).toBe(0n)
  })

  test('rounded to 4 decimals when quantity × price still rounds to the gross', () => {
    expect(unitPriceFor(3000n, 100n)).toBe(3333n) // 3 × 0.3333 = 0.9999 → 1.00
  })

  test('none when the quantity is so large that unit prices step over the cent', () => {
    expect(unitPriceFor(32_623_000n, 1n)).toBeNull() // 32,623 × 0.0001 = 3.26
    expect(unitPriceFor(0n, 100n)).toBeNull()
  })

  test('any price found rounds to the gross; for quantities up to 100 one always exists', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.bigInt({ min: 0n, max: 10_000_000n }), (q, gross) => {
        const qty = BigInt(q)
        const price = unitPriceFor(qty, gross)
        expect(price).not.toBeNull()
        expect((qty * price! + 50_000n) / 100_000n).toBe(gross)
      }),
    )
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), fc.bigInt({ min: 0n, max: 10_000_000n }), (q, gross) => {
        const price = unitPriceFor(BigInt(q), gross)
        if (price !== null) expect((BigInt(q) * price + 50_000n) / 100_000n).toBe(gross)
      }),
    )
  })
})

describe('line mapping: the amount is sales_value exactly', () => {
  test('the real quantity with an exact unit price; discount = retail + coupon + coupon match', () => {
    const mapped = mapLine(row({ retail_disc: '2.5', coupon_disc: '0.3', coupon_match_disc: '0.1' }), products)
    expect(mapped.rule).toBe('exact')
    expect(mapped.line).toEqual({ sku: '13094913', category: 'GROCERY / BAKED BREAD/BUNS/ROLLS', quantity: '2.000', unit_price: '7.3850', discount: '2.90' })
    expect(platformAmounts(basketToSwipe([row({ retail_disc: '2.5', coupon_disc: '0.3', coupon_match_disc: '0.1' })], products).swipe)).toEqual(['11.87'])
  })

  test('the real quantity with a rounded unit price', () => {
    const mapped = mapLine(row({ quantity: '3.0', sales_value: '1.0', retail_disc: '0.0' }), products)
    expect(mapped).toMatchObject({ rule: 'rounded-unit-price', line: { quantity: '3.000', unit_price: '0.3333', discount: '0.00' } })
  })

  test('quantity 0 is sent as quantity 1 at unit_price = sales_value + discount', () => {
    const plain = mapLine(row({ quantity: '0.0', sales_value: '0.0', retail_disc: '0.0' }), products)
    expect(plain).toMatchObject({ rule: 'zero-quantity', amountCents: 0n, line: { quantity: '1.000', unit_price: '0.0000', discount: '0.00' } })
    // 142 of the 416 zero-quantity lines carry a discount: the gross is the discount, the amount 0.
    const discounted = mapLine(row({ quantity: '0.0', sales_value: '0.0', retail_disc: '0.0', coupon_disc: '1.5' }), products)
    expect(discounted).toMatchObject({ rule: 'zero-quantity', line: { quantity: '1.000', unit_price: '1.5000', discount: '1.50' } })
  })

  test('a basket of only zero-quantity lines is kept as a 0.00 sale', () => {
    const basket = basketToSwipe([row({ quantity: '0.0', sales_value: '0.0', retail_disc: '0.0' }), row({ quantity: '0.0', sales_value: '4.440892e-16', retail_disc: '0.0', product_id: '25671' })], products)
    expect(basket.swipe.total).toBe('0.00')
    expect(platformAmounts(basket.swipe)).toEqual(['0.00', '0.00'])
  })

  test('no fitting unit price (fuel, quantity 32,623): quantity 1 at unit_price = gross', () => {
    const fuel = row({ product_id: '6534178', quantity: '32623.0', sales_value: '20.0', retail_disc: '0.0' })
    const mapped = mapLine(fuel, products)
    expect(mapped).toMatchObject({ rule: 'inexact-fallback', line: { quantity: '1.000', unit_price: '20.0000', discount: '0.00' } })
    const withDiscount = mapLine({ ...fuel, sales_value: '19.89', retail_disc: '0.11' }, products)
    expect(withDiscount.line).toMatchObject({ quantity: '1.000', unit_price: '20.0000', discount: '0.11' })
    expect(platformAmounts(basketToSwipe([{ ...fuel, sales_value: '19.89', retail_disc: '0.11' }], products).swipe)).toEqual(['19.89'])
  })

  test('the float artefact 4.440892e-16 is 0.00, and counted as rounded', () => {
    const mapped = mapLine(row({ quantity: '0.0', sales_value: '4.440892e-16', retail_disc: '0.0' }), products)
    expect(mapped).toMatchObject({ amountCents: 0n, roundedMoney: true })
  })

  test('negative values and bad numbers stop the import with the line number', () => {
    expect(() => mapLine(row({ lineNo: 77, sales_value: '-1.00' }), products)).toThrow(/line 77: negative sales_value/)
    expect(() => mapLine(row({ retail_disc: 'NA' }), products)).toThrow(CjDataError)
    expect(() => mapLine(row({ quantity: '1.2345' }), products)).toThrow(CjDataError)
  })

  test('any non-negative line maps to a swipe the platform accepts, with the amount = sales_value', () => {
    const cents = fc.bigInt({ min: 0n, max: 50_000n })
    const text = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), cents, cents, cents, fc.constantFrom('25671', '26081', '404'), (q, sales, retail, coupon, product) => {
        const r = row({ quantity: `${q}.0`, sales_value: text(sales), retail_disc: text(retail), coupon_disc: text(coupon), product_id: product })
        const { swipe } = basketToSwipe([r], products)
        expect(platformAmounts(swipe)).toEqual([text(sales)])
        expect(swipe.total).toBe(text(sales))
      }),
    )
  })
})

describe('basket → swipe', () => {
  test('one sale per basket: ids, card, time, currency, total = Σ sales_value', () => {
    const lines = [row(), row({ product_id: '25671', quantity: '1.0', sales_value: '3.86', retail_disc: '0.43' })]
    const { swipe, storeId } = basketToSwipe(lines, products)
    expect(storeId).toBe('388')
    expect(swipe).toMatchObject({
      txn_id: 'cj-31932241118',
      terminal_id: 'cj-migration',
      card_number: householdCardNumber('400'),
      occurred_at: '2017-02-18T18:13:10Z',
      currency: 'USD',
      kind: 'sale',
      total: '15.73',
      coupon_codes: [],
    })
    expect(swipe.lines.map((l) => l.sku)).toEqual(['13094913', '25671']) // file order
    expect(platformAmounts(swipe)).toEqual(['11.87', '3.86'])
  })

  test('lines of one basket that disagree on household, store or time stop the import', () => {
    expect(() => basketToSwipe([row(), row({ household_id: '401' })], products)).toThrow(/household_id/)
    expect(() => basketToSwipe([row(), row({ store_id: '389' })], products)).toThrow(/store_id/)
    expect(() => basketToSwipe([row(), row({ transaction_timestamp: '2017-02-18T18:13:11Z' })], products)).toThrow(/transaction_timestamp/)
    expect(() => basketToSwipe([row({ transaction_timestamp: '2017-02-18 18:13:10' })], products)).toThrow(/ISO 8601/)
  })
})

describe('the dataset', () => {
  test('scattered lines are grouped per basket, baskets per store in time order, and counted', () => {
    const rows = [
      row({ basket_id: '2', store_id: '20', household_id: '7', transaction_timestamp: '2017-03-01T10:00:00Z', sales_value: '1.0', retail_disc: '0.0', quantity: '1.0' }),
      row({ basket_id: '1', store_id: '20', household_id: '8', transaction_timestamp: '2017-02-01T10:00:00Z', quantity: '0.0', sales_value: '0.0', retail_disc: '0.0' }),
      row({ basket_id: '3', store_id: '3', household_id: '7', product_id: '404' }),
      row({ basket_id: '2', store_id: '20', household_id: '7', transaction_timestamp: '2017-03-01T10:00:00Z', sales_value: '2.5', retail_disc: '0.0', quantity: '1.0', product_id: '26081' }),
      row({ basket_id: '4.0128e+10', store_id: '3', household_id: '9', quantity: '32623.0', sales_value: '20.0', retail_disc: '0.0' }),
      row({ basket_id: '40128000000', store_id: '3', household_id: '9', sales_value: '4.440892e-16', quantity: '1.0', retail_disc: '0.0' }),
    ]
    const { stores, summary } = mapDataset(rows, products)
    expect(stores.map((s) => [s.code, s.swipes.map((w) => [w.txn_id, w.total, w.lines.length])])).toEqual([
      ['cj-3', [['cj-3', '11.87', 1], ['cj-40128000000', '20.00', 2]]],
      ['cj-20', [['cj-1', '0.00', 1], ['cj-2', '3.50', 2]]],
    ])
    expect(summary).toMatchObject({
      lines: 6,
      baskets: 4,
      households: 3,
      stores: 2,
      exactLines: 4,
      zeroQuantityLines: 1,
      zeroQuantityOnlyBaskets: 1,
      inexactFallbackLines: 1,
      unknownCategoryLines: 1,
      departmentOnlyLines: 1,
      roundedMoneyLines: 1,
      scientificIdLines: 1,
      salesTotal: '35.37',
      discountTotal: '2.90',
    })
    for (const store of stores) for (const swipe of store.swipes) platformAmounts(swipe)
  })
})
