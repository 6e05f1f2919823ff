import { luhnValid } from '../card-number'
import { checkSwipe } from '../swipe-rules'
import {
  CDNOW_CATEGORY,
  CDNOW_STORE_CODE,
  CdnowDataError,
  customerCardNumber,
  mapCdnow,
  mapCdnowRow,
  occurredAtOf,
  parseCdnowLine,
  shiftedDate,
  type CdnowRow,
} from './cdnow'

const NOW = { now: new Date('2026-11-01T00:00:00Z'), skewSeconds: 300 }
const row = (line: string, lineNo = 1): CdnowRow => parseCdnowLine(line, lineNo)!

/** round_half_up(quantity × unit_price, 2) in cents, worked out here from the decimal text. */
function lineCents(quantity: string, unitPrice: string): bigint {
  const q = BigInt(quantity.replace('.', '')) // 10^-3
  const p = BigInt(unitPrice.replace('.', '')) // 10^-4
  return (q * p + 50_000n) / 100_000n // 10^-7 → 10^-2, half up (all non-negative)
}

describe('parseCdnowLine', () => {
  it('reads the five space-separated fields of the file, leading blanks and CR included', () => {
    expect(parseCdnowLine(' 00004 0001 19970101  2   29.33\r', 1)).toEqual({
      lineNo: 1, customerId: '00004', sampleId: '0001', date: '19970101', cds: '2', dollars: '29.33',
    })
    expect(parseCdnowLine('  \r', 7)).toBeNull()
  })

  it('refuses rows it has no rule for, naming the line', () => {
    expect(() => parseCdnowLine(' 00004 0001 19970101  2', 3)).toThrow(/line 3: expected 5 fields/)
    expect(() => parseCdnowLine(' 00004 0001 19970231  2 1.00', 4)).toThrow(/line 4: date/)
    expect(() => parseCdnowLine(' 00004 0001 19970101  -1 1.00', 5)).toThrow(/line 5: number of CDs/)
    expect(() => parseCdnowLine(' 00004 0001 19970101  1 -1.00', 6)).toThrow(CdnowDataError)
    expect(() => parseCdnowLine(' 00004 0001 19970101  1 1.005', 6)).toThrow(/dollars/)
  })
})

describe('cards and dates', () => {
  it('gives each customer a 13-digit Luhn-valid card, one per id, distinct ids distinct cards', () => {
    expect(customerCardNumber('00004')).toMatch(/^800000000004\d$/)
    expect(customerCardNumber('4')).toBe(customerCardNumber('00004'))
    expect(customerCardNumber('00004')).not.toBe(customerCardNumber('00021'))
    for (const id of ['00004', '00021', '23569', '99999999999']) expect(luhnValid(customerCardNumber(id))).toBe(true)
  })

  it('moves dates by 28 years (1,461 weeks: same weekday, same day counts) to noon UTC', () => {
    expect(occurredAtOf('19970101')).toBe('2025-01-01T12:00:00Z')
    expect(occurredAtOf('19970930')).toBe('2025-09-30T12:00:00Z')
    expect(occurredAtOf('19980630')).toBe('2026-06-30T12:00:00Z')
    const day = (iso: string) => Date.parse(iso) / 86_400_000
    // The papers' calibration (1997-01-01 .. 09-30) and holdout (39 weeks) in days, unchanged.
    expect(day(occurredAtOf('19970930')) - day(occurredAtOf('19970101'))).toBe(272)
    expect(day(occurredAtOf('19980630')) - day(occurredAtOf('19970930'))).toBe(39 * 7)
    expect(new Date(occurredAtOf('19970101')).getUTCDay()).toBe(new Date(Date.UTC(1997, 0, 1)).getUTCDay())
    expect(shiftedDate('19960229')).toBe('2024-02-29') // leap years stay leap years
  })
})

describe('mapCdnowRow', () => {
  it('one row → one sale of one Music CDs line whose amount is the dollars exactly', () => {
    const { swipe, rule } = mapCdnowRow(row(' 00004 0001 19970101  2   29.33', 1))
    expect(rule).toBe('exact')
    expect(swipe).toMatchObject({
      txn_id: 'cdnow-1',
      card_number: customerCardNumber('00004'),
      occurred_at: '2025-01-01T12:00:00Z',
      currency: 'USD',
      kind: 'sale',
      total: '29.33',
      coupon_codes: [],
    })
    expect(swipe.lines).toEqual([{ sku: 'CD', category: CDNOW_CATEGORY, quantity: '2.000', unit_price: '14.6650', discount: '0.00' }])
  })

  it('rounds the unit price to 4 decimals when the dollars do not divide, and the line still comes to the dollars', () => {
    const { swipe, rule } = mapCdnowRow(row(' 00021 0002 19970101  3   63.34', 2))
    expect(rule).toBe('rounded-unit-price')
    const line = swipe.lines[0]!
    expect(line.quantity).toBe('3.000')
    expect(lineCents(line.quantity, line.unit_price)).toBe(6334n)
  })

  it('keeps a 0-dollar row as a sale of 0.00 (unit price 0) and a 0-CD row as quantity 1', () => {
    const zeroDollars = mapCdnowRow(row(' 01101 0087 19970105  1    0.00', 3))
    expect(zeroDollars.swipe.total).toBe('0.00')
    expect(zeroDollars.swipe.lines[0]).toMatchObject({ quantity: '1.000', unit_price: '0.0000' })
    const zeroCds = mapCdnowRow(row(' 01101 0087 19970105  0   12.99', 4))
    expect(zeroCds.rule).toBe('zero-cds')
    expect(zeroCds.swipe.lines[0]).toMatchObject({ quantity: '1.000', unit_price: '12.9900' })
    expect(zeroCds.swipe.total).toBe('12.99')
    const both = mapCdnowRow(row(' 01101 0087 19970105  0    0.00', 5))
    expect(both.swipe.lines[0]).toMatchObject({ quantity: '1.000', unit_price: '0.0000' })
    // The platform's own rules accept all of them (quantity > 0, price ≥ 0, total = Σ lines).
    for (const m of [zeroDollars, zeroCds, both]) expect(checkSwipe(m.swipe, NOW)).toMatchObject({ ok: true })
  })

  it('is accepted by the swipe rules for every CD count and cent amount it can meet', () => {
    for (let cds = 1; cds <= 40; cds++) {
      for (const dollars of ['0.01', '0.99', '9.99', '13.97', '63.34', '506.97', '1234.57']) {
        const { swipe } = mapCdnowRow(row(` 00004 0001 19970101 ${cds} ${dollars}`, cds))
        const check = checkSwipe(swipe, NOW)
        expect(check).toMatchObject({ ok: true })
        if (check.ok) expect(check.swipe.lines[0]!.amount).toBe(dollars)
      }
    }
  })

  it('a sale dated in 1997 as written would be refused: the reason for the 28-year shift', () => {
    const { swipe } = mapCdnowRow(row(' 00004 0001 19970101  2   29.33', 1))
    const check = checkSwipe({ ...swipe, occurred_at: '1997-01-01T12:00:00Z' }, NOW)
    expect(check.ok).toBe(false)
  })
})

describe('mapCdnow', () => {
  it('one store, a sale per row in time order then file order, distinct txn ids, and the summary', () => {
    const { stores, summary } = mapCdnow([
      row(' 00021 0002 19970113  1   11.77', 6),
      row(' 00004 0001 19970101  2   29.33', 1),
      row(' 00004 0001 19970101  1    0.00', 2), // a second row the same day: its own sale
      row(' 00021 0002 19970101  3   63.34', 5),
    ])
    expect(stores).toHaveLength(1)
    expect(stores[0]!.code).toBe(CDNOW_STORE_CODE)
    expect(stores[0]!.swipes.map((s) => s.txn_id)).toEqual(['cdnow-1', 'cdnow-2', 'cdnow-5', 'cdnow-6'])
    expect(summary).toEqual({
      rows: 4,
      customers: 2,
      zeroDollarRows: 1,
      zeroCdRows: 0,
      exactRows: 3,
      roundedUnitPriceRows: 1,
      dollarsTotal: '104.44',
      firstAt: '2025-01-01T12:00:00Z',
      lastAt: '2025-01-13T12:00:00Z',
    })
  })
})
