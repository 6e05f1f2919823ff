import crypto from 'node:crypto'
import fc from 'fast-check'
import { withLuhnCheckDigit } from './card-number'
import { checkSwipe, type FieldProblem, type NormalizedSwipe, type RuleContext } from './swipe-rules'

const CARD = withLuhnCheckDigit('912345678901') // 9123456789016
const NOW = new Date('2026-11-20T12:00:00Z')
const ctx: RuleContext = { now: NOW, skewSeconds: 300 }

interface LineIn {
  sku?: unknown
  category?: unknown
  quantity?: unknown
  unit_price?: unknown
  discount?: unknown
  [extra: string]: unknown
}

function line(overrides: LineIn = {}): LineIn {
  return { sku: 'MILK-1L', category: 'Dairy', quantity: '2', unit_price: '0.99', ...overrides }
}

/** A valid sale: 2 × 0.99 = 1.98, plus 1 × 2.49 − 0.50 = 1.99; total 3.97. */
function sale(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    txn_id: 'T-0001',
    terminal_id: 'till-1',
    card_number: CARD,
    occurred_at: '2026-11-20T10:15:00+01:00',
    currency: 'EUR',
    kind: 'sale',
    lines: [line(), line({ sku: 'BREAD-WH', category: 'Bakery', quantity: '1', unit_price: '2.49', discount: '0.50' })],
    total: '3.97',
    coupon_codes: [],
    ...overrides,
  }
}

function without(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...obj }
  delete copy[key]
  return copy
}

function accepted(input: unknown, context: RuleContext = ctx): { swipe: NormalizedSwipe; json: string; hash: string } {
  const result = checkSwipe(input, context)
  if (!result.ok) throw new Error(`expected the swipe to be accepted, got ${JSON.stringify(result.problems)}`)
  return result
}

function refused(input: unknown, context: RuleContext = ctx, prefix?: string): FieldProblem[] {
  const result = prefix === undefined ? checkSwipe(input, context) : checkSwipe(input, context, prefix)
  if (result.ok) throw new Error(`expected the swipe to be refused, got ${JSON.stringify(result.swipe)}`)
  return result.problems
}

const paths = (problems: FieldProblem[]) => problems.map((p) => p.path)

test('a well-formed sale whose total agrees with its lines is accepted', () => {
  // Act
  const result = checkSwipe(sale(), ctx)
  // Assert
  expect(result.ok).toBe(true)
})

describe('shape', () => {
  test('an unknown top-level field is refused at its own path', () => {
    const problems = refused(sale({ colour: 'red' }))
    expect(problems).toEqual([{ path: '$.colour', message: 'is not a field of this object' }])
  })

  test('each unknown field is reported separately, including inside a line', () => {
    const problems = refused(sale({ colour: 'red', size: 3, lines: [line({ colour: 'blue' })], total: '1.98' }))
    expect(paths(problems).sort()).toEqual(['$.colour', '$.lines[0].colour', '$.size'])
    expect(problems.every((p) => p.message === 'is not a field of this object')).toBe(true)
  })

  test.each(['txn_id', 'terminal_id', 'card_number', 'occurred_at', 'currency', 'kind', 'lines', 'total'])(
    'a missing required field %s is refused at its path',
    (field) => {
      const problems = refused(without(sale(), field))
      expect(paths(problems)).toEqual([`$.${field}`])
    },
  )

  test.each(['sku', 'category', 'quantity', 'unit_price'])('a line missing %s is refused at the line field path', (field) => {
    const lines = [line(), without(line({ sku: 'EGGS', quantity: '1', unit_price: '1.00' }), field)]
    const problems = refused(sale({ lines, total: '2.98' }))
    expect(paths(problems)).toEqual([`$.lines[1].${field}`])
  })

  test('discount and coupon codes may be left out; they default to 0.00 and none', () => {
    const { swipe } = accepted(without(sale({ lines: [line()], total: '1.98' }), 'coupon_codes'))
    expect(swipe.lines[0]!.discount).toBe('0.00')
    expect(swipe.coupon_codes).toEqual([])
  })

  test.each([null, [], 'swipe', 42])('a body that is not an object (%j) is refused at the root', (input) => {
    const problems = refused(input)
    expect(paths(problems)).toEqual(['$'])
  })

  test('an identifier with spaces is refused', () => {
    expect(paths(refused(sale({ txn_id: 'T 1' })))).toEqual(['$.txn_id'])
    expect(paths(refused(sale({ lines: [line({ sku: 'MILK 1L' })], total: '1.98' })))).toEqual(['$.lines[0].sku'])
  })

  test('a malformed coupon code is refused at its index', () => {
    expect(paths(refused(sale({ coupon_codes: ['SPRING-10', 'no spaces!'] })))).toEqual(['$.coupon_codes[1]'])
  })

  test('every problem in a swipe is named at once', () => {
    const problems = refused(
      sale({ currency: 'eur', lines: [line({ quantity: '0' }), line({ sku: 'X', unit_price: '1.23456' })] }),
    )
    expect(paths(problems).sort()).toEqual(['$.currency', '$.lines[0].quantity', '$.lines[1].unit_price'])
  })

  test('paths start with the given prefix, for shape and for arithmetic problems', () => {
    expect(paths(refused(sale({ currency: 'eur' }), ctx, '$[7]'))).toEqual(['$[7].currency'])
    expect(paths(refused(sale({ total: '3.98' }), ctx, '$[7]'))).toEqual(['$[7].total'])
  })
})

describe('card number', () => {
  test.each(['abc', '1234567', '1'.repeat(20), '4111 1111 1111', '', '91234567890a6'])(
    'a card number that is not 8 to 19 digits (%j) gets only the pattern message',
    (card) => {
      const problems = refused(sale({ card_number: card }))
      expect(problems).toEqual([{ path: '$.card_number', message: 'expected 8 to 19 digits' }])
    },
  )

  test('a card number with a wrong check digit is refused by the Luhn check', () => {
    const wrong = CARD.slice(0, -1) + String((Number(CARD.slice(-1)) + 1) % 10)
    const problems = refused(sale({ card_number: wrong }))
    expect(problems).toEqual([{ path: '$.card_number', message: 'check digit does not match (Luhn)' }])
  })

  test('card numbers of 8 and 19 digits with a valid check digit are accepted', () => {
    expect(accepted(sale({ card_number: withLuhnCheckDigit('1234567') })).swipe.card_number).toHaveLength(8)
    expect(accepted(sale({ card_number: withLuhnCheckDigit('9'.repeat(18)) })).swipe.card_number).toHaveLength(19)
  })

  test('a category holding a payment card number is refused', () => {
    const problems = refused(sale({ lines: [line({ category: 'Gift 4111 1111 1111 1111' })], total: '1.98' }))
    expect(problems).toEqual([{ path: '$.lines[0].category', message: 'must not contain a payment card number' }])
  })
})

describe('currency and kind', () => {
  test.each(['eur', 'EURO', 'EU', 'E1R', ''])('a currency that is not three capital letters (%j) is refused', (currency) => {
    expect(paths(refused(sale({ currency })))).toEqual(['$.currency'])
  })

  test('a kind other than sale or return is refused', () => {
    expect(paths(refused(sale({ kind: 'refund' })))).toEqual(['$.kind'])
  })

  test('a return without original_txn_id is refused', () => {
    const problems = refused(sale({ kind: 'return' }))
    expect(problems).toEqual([{ path: '$.original_txn_id', message: 'a return names the original sale' }])
  })

  test('a return without original_txn_id is reported even when other fields are invalid too', () => {
    // A decimal that fails its transform aborts zod's own refinements unless `when` lets them run
    const problems = refused(
      sale({ kind: 'return', currency: 'eur', card_number: 'abc', lines: [line({ quantity: '0' })], total: 'lots' }),
    )
    expect(problems).toContainEqual({ path: '$.original_txn_id', message: 'a return names the original sale' })
    expect(paths(problems)).toEqual(
      expect.arrayContaining(['$.currency', '$.card_number', '$.lines[0].quantity', '$.total']),
    )
  })

  test('a sale naming an original sale is refused', () => {
    const problems = refused(sale({ original_txn_id: 'T-0000' }))
    expect(problems).toEqual([{ path: '$.original_txn_id', message: 'only a return names an original sale' }])
  })

  test('a sale naming an original sale is reported even when other fields are invalid too', () => {
    const problems = refused(sale({ original_txn_id: 'T-0000', currency: 'eur', lines: [line({ unit_price: 'x' })], total: 'lots' }))
    expect(problems).toContainEqual({ path: '$.original_txn_id', message: 'only a return names an original sale' })
    expect(paths(problems)).toEqual(expect.arrayContaining(['$.currency', '$.lines[0].unit_price', '$.total']))
  })

  test('a return naming its original sale is accepted and keeps the reference; a sale has none', () => {
    expect(accepted(sale({ kind: 'return', original_txn_id: 'T-0000' })).swipe.original_txn_id).toBe('T-0000')
    expect(accepted(sale()).swipe.original_txn_id).toBeNull()
  })
})

describe('lines', () => {
  test('a swipe without lines is refused', () => {
    expect(paths(refused(sale({ lines: [], total: '0.00' })))).toEqual(['$.lines'])
  })

  test('a swipe with 1000 lines is accepted and one with 1001 is refused', () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => line({ sku: `SKU-${i}`, quantity: '1', unit_price: '0.01' }))
    expect(accepted(sale({ lines: thousand, total: '10.00' })).swipe.lines).toHaveLength(1000)

    const tooMany = [...thousand, line({ sku: 'SKU-1000', quantity: '1', unit_price: '0.01' })]
    expect(paths(refused(sale({ lines: tooMany, total: '10.01' })))).toEqual(['$.lines'])
  })

  test.each(['0', '0.000', '-1', -0.5, 0])('a quantity that is not above zero (%j) is refused', (quantity) => {
    expect(paths(refused(sale({ lines: [line({ quantity })], total: '0.00' })))).toEqual(['$.lines[0].quantity'])
  })

  test.each(['1.0005', 1.0005, '0.0001'])('a quantity with more than 3 decimals (%j) is refused', (quantity) => {
    const problems = refused(sale({ lines: [line({ quantity })], total: '1.98' }))
    expect(problems).toEqual([{ path: '$.lines[0].quantity', message: 'expected a decimal with at most 3 decimal places' }])
  })

  test('a quantity with exactly 3 decimals is accepted', () => {
    expect(accepted(sale({ lines: [line({ quantity: '0.001', unit_price: '10.00' })], total: '0.01' })).swipe.lines[0]!.quantity).toBe('0.001')
  })

  test.each(['1.23456', 1.23456])('a unit price with more than 4 decimals (%j) is refused', (unit_price) => {
    const problems = refused(sale({ lines: [line({ unit_price })], total: '2.47' }))
    expect(problems).toEqual([{ path: '$.lines[0].unit_price', message: 'expected a decimal with at most 4 decimal places' }])
  })

  test('a unit price with 4 decimals is accepted, and a free item (price 0) too', () => {
    expect(accepted(sale({ lines: [line({ quantity: '1', unit_price: '1.2345' })], total: '1.23' })).swipe.lines[0]!.unit_price).toBe('1.2345')
    expect(accepted(sale({ lines: [line({ unit_price: '0' })], total: '0.00' })).swipe.lines[0]!.amount).toBe('0.00')
  })

  test('a negative unit price is refused', () => {
    expect(paths(refused(sale({ lines: [line({ unit_price: '-0.99' })], total: '0.00' })))).toEqual(['$.lines[0].unit_price'])
  })

  test('a negative discount is refused', () => {
    const problems = refused(sale({ lines: [line({ discount: '-0.10' })], total: '2.08' }))
    expect(paths(problems)).toEqual(['$.lines[0].discount'])
  })

  test('a discount with more than 2 decimals is refused', () => {
    expect(paths(refused(sale({ lines: [line({ discount: '0.105' })], total: '1.88' })))).toEqual(['$.lines[0].discount'])
  })

  test("a discount larger than the line's value is refused, naming both figures", () => {
    // Arrange: 1 × 2.49 with 2.50 off; the total matches the lines so only the discount is wrong
    const lines = [line(), line({ sku: 'BREAD-WH', quantity: '1', unit_price: '2.49', discount: '2.50' })]
    // Act
    const problems = refused(sale({ lines, total: '1.97' }))
    // Assert
    expect(problems).toHaveLength(1)
    expect(problems[0]!.path).toBe('$.lines[1].discount')
    expect(problems[0]!.message).toContain('2.50')
    expect(problems[0]!.message).toContain('2.49')
  })

  test("a discount equal to the line's value is accepted (the line becomes free)", () => {
    const lines = [line({ quantity: '1', unit_price: '2.49', discount: '2.49' })]
    expect(accepted(sale({ lines, total: '0.00' })).swipe.lines[0]!.amount).toBe('0.00')
  })
})

describe('total', () => {
  test('a total that disagrees with the lines is refused, naming both figures', () => {
    const problems = refused(sale({ total: '3.98' }))
    expect(problems).toHaveLength(1)
    expect(problems[0]!.path).toBe('$.total')
    expect(problems[0]!.message).toContain('3.98')
    expect(problems[0]!.message).toContain('3.97')
  })

  test('a total one cent low is refused too', () => {
    expect(paths(refused(sale({ total: 3.96 })))).toEqual(['$.total'])
  })

  test('a negative total or one above 10,000,000 is refused', () => {
    expect(paths(refused(sale({ total: '-3.97' })))).toEqual(['$.total'])
    expect(paths(refused(sale({ total: '10000000.01' })))).toEqual(['$.total'])
  })

  test('a total with more than 2 decimals is refused even when it equals the lines', () => {
    expect(paths(refused(sale({ total: '3.970' })))).toEqual(['$.total'])
  })
})

describe('occurred_at', () => {
  test.each(['2026-11-20T10:15:00', '2026-11-20', '2026-11-20 10:15:00Z', '20 Nov 2026 10:15', '2026-02-30T10:00:00Z'])(
    'a time without an offset or not ISO 8601 (%j) is refused',
    (occurred_at) => {
      expect(paths(refused(sale({ occurred_at })))).toEqual(['$.occurred_at'])
    },
  )

  test('a time further ahead of the server clock than the allowed skew is refused', () => {
    const problems = refused(sale({ occurred_at: '2026-11-20T12:05:01Z' }))
    expect(problems).toHaveLength(1)
    expect(problems[0]!.path).toBe('$.occurred_at')
    expect(problems[0]!.message).toContain('future')
    expect(problems[0]!.message).toContain('300')
  })

  test('a time ahead of the server clock but within the skew is accepted, up to the limit exactly', () => {
    expect(accepted(sale({ occurred_at: '2026-11-20T12:04:59Z' })).swipe.occurred_at).toBe('2026-11-20T12:04:59.000Z')
    expect(accepted(sale({ occurred_at: '2026-11-20T12:05:00Z' })).swipe.occurred_at).toBe('2026-11-20T12:05:00.000Z')
  })

  test('the future check compares instants, not local clock readings', () => {
    // 13:04 at +01:00 is 12:04Z, within the skew; 12:04 at -01:00 is 13:04Z, beyond it
    expect(accepted(sale({ occurred_at: '2026-11-20T13:04:00+01:00' })).swipe.utc_offset_minutes).toBe(60)
    expect(paths(refused(sale({ occurred_at: '2026-11-20T12:04:00-01:00' })))).toEqual(['$.occurred_at'])
  })

  test('with no skew allowed, one second ahead is refused', () => {
    expect(paths(refused(sale({ occurred_at: '2026-11-20T12:00:01Z' }), { now: NOW, skewSeconds: 0 }))).toEqual([
      '$.occurred_at',
    ])
  })

  test('a time before 2000-01-01 UTC is refused; 2000-01-01T00:00Z itself is accepted', () => {
    const problems = refused(sale({ occurred_at: '1999-12-31T23:59:59Z' }))
    expect(paths(problems)).toEqual(['$.occurred_at'])
    expect(problems[0]!.message).toContain('2000')
    expect(paths(refused(sale({ occurred_at: '2000-01-01T00:30:00+01:00' })))).toEqual(['$.occurred_at'])
    expect(accepted(sale({ occurred_at: '2000-01-01T00:00:00Z' })).swipe.occurred_at).toBe('2000-01-01T00:00:00.000Z')
  })
})

describe('normalization', () => {
  function oneLine(quantity: unknown, unit_price: unknown, total: unknown) {
    return sale({ lines: [line({ quantity, unit_price })], total })
  }

  test('numbers and strings of the same value give the same normalized swipe and hash', () => {
    // Arrange
    const variants = [oneLine('1', '12.3', '12.3'), oneLine(1, 12.3, 12.3), oneLine('1.000', '12.3000', '12.30'), oneLine(1, 12.3, 12.30)]
    // Act
    const results = variants.map((v) => accepted(v))
    // Assert
    for (const r of results) {
      expect(r.swipe).toEqual(results[0]!.swipe)
      expect(r.hash).toBe(results[0]!.hash)
    }
    expect(results[0]!.swipe.total).toBe('12.30')
    expect(results[0]!.swipe.lines[0]).toMatchObject({ quantity: '1.000', unit_price: '12.3000', discount: '0.00', amount: '12.30' })
  })

  test('the order of fields in the posted JSON and an omitted zero discount do not change the hash', () => {
    // Arrange
    const ordered = sale({ lines: [{ sku: 'MILK-1L', category: 'Dairy', quantity: '2', unit_price: '0.99', discount: '0' }], total: '1.98' })
    const reordered = {
      total: 1.98,
      lines: [{ discount: 0, unit_price: 0.99, quantity: 2, category: 'Dairy', sku: 'MILK-1L' }],
      ...without(without(ordered, 'lines'), 'total'),
    }
    const noDiscount = sale({ lines: [{ sku: 'MILK-1L', category: 'Dairy', quantity: '2', unit_price: '0.99' }], total: '1.98' })
    // Act
    const hashes = [ordered, reordered, noDiscount].map((input) => accepted(input).hash)
    // Assert
    expect(new Set(hashes).size).toBe(1)
  })

  test('a different sale hashes differently', () => {
    const a = accepted(oneLine('1', '12.30', '12.30'))
    const b = accepted(oneLine('2', '6.15', '12.30'))
    expect(a.hash).not.toBe(b.hash)
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/)
    // The hash is SHA-256 of exactly the JSON that the journal stores.
    expect(a.hash).toBe(crypto.createHash('sha256').update(a.json).digest('hex'))
    expect(JSON.parse(a.json)).toEqual(a.swipe)
  })

  test('surrounding spaces in a category are trimmed and do not change the hash', () => {
    const spaced = accepted(sale({ lines: [line({ category: '  Dairy ' })], total: '1.98' }))
    const plain = accepted(sale({ lines: [line({ category: 'Dairy' })], total: '1.98' }))
    expect(spaced.swipe.lines[0]!.category).toBe('Dairy')
    expect(spaced.hash).toBe(plain.hash)
  })

  test.each([
    ['2026-11-20T10:15:00+01:00', '2026-11-20T09:15:00.000Z', 60],
    ['2026-11-20T05:15:00-05:30', '2026-11-20T10:45:00.000Z', -330],
    ['2026-11-20T10:15:00Z', '2026-11-20T10:15:00.000Z', 0],
    ['2026-11-20T10:15:00.250+05:45', '2026-11-20T04:30:00.250Z', 345],
  ])('occurred_at %s is stored as %s with offset %d minutes', (occurred_at, utc, offset) => {
    const { swipe } = accepted(sale({ occurred_at }))
    expect(swipe.occurred_at).toBe(utc)
    expect(swipe.utc_offset_minutes).toBe(offset)
  })

  test('the same instant written in two offsets keeps the instant but not the offset', () => {
    const a = accepted(sale({ occurred_at: '2026-11-20T10:15:00+01:00' })).swipe
    const b = accepted(sale({ occurred_at: '2026-11-20T09:15:00Z' })).swipe
    expect(a.occurred_at).toBe(b.occurred_at)
    expect(a.utc_offset_minutes).not.toBe(b.utc_offset_minutes)
  })

  test('a line amount is quantity × unit price rounded half up to cents', () => {
    // 0.333 × 1.5 = 0.4995 → 0.50
    expect(accepted(oneLine('0.333', '1.5', '0.50')).swipe.lines[0]!.amount).toBe('0.50')
    // 0.001 × 5 = 0.005 → 0.01 (exact half rounds up)
    expect(accepted(oneLine('0.001', '5', '0.01')).swipe.lines[0]!.amount).toBe('0.01')
    // 0.001 × 4.9999 = 0.0049999 → 0.00
    expect(accepted(oneLine('0.001', '4.9999', '0.00')).swipe.lines[0]!.amount).toBe('0.00')
    // 0.333 × 1.5 truncated would be 0.49: refused
    expect(paths(refused(oneLine('0.333', '1.5', '0.49')))).toEqual(['$.total'])
  })

  test('lines are numbered from 1 and each amount subtracts its discount', () => {
    const { swipe } = accepted(sale())
    expect(swipe.lines.map((l) => [l.line_no, l.sku, l.amount])).toEqual([
      [1, 'MILK-1L', '1.98'],
      [2, 'BREAD-WH', '1.99'],
    ])
  })

  test('discount_total is the sum of the line discounts', () => {
    const lines = [line({ discount: '0.25' }), line({ sku: 'B', quantity: '1', unit_price: '2.49', discount: '0.50' }), line({ sku: 'C' })]
    const { swipe } = accepted(sale({ lines, total: '5.70' }))
    expect(swipe.discount_total).toBe('0.75')
    expect(accepted(sale({ lines: [line()], total: '1.98' })).swipe.discount_total).toBe('0.00')
  })

  test('the normalized swipe carries the posted identifiers through unchanged', () => {
    const { swipe } = accepted(sale({ coupon_codes: ['SPRING-10'] }))
    expect(swipe).toMatchObject({
      txn_id: 'T-0001',
      terminal_id: 'till-1',
      card_number: CARD,
      currency: 'EUR',
      kind: 'sale',
      total: '3.97',
      coupon_codes: ['SPRING-10'],
    })
  })
})

describe('property: totals', () => {
  const pad = (n: bigint, width: number) => n.toString().padStart(width, '0')
  const fixed = (units: bigint, scale: number) => `${units / 10n ** BigInt(scale)}.${pad(units % 10n ** BigInt(scale), scale)}`

  /** A line as integers: quantity in thousandths, price in ten-thousandths, discount in cents ≤ gross. */
  const lineArb = fc
    .record({
      milli: fc.bigInt({ min: 1n, max: 1_000_000n }),
      pricePoints: fc.bigInt({ min: 0n, max: 10_000_000n }),
    })
    .chain(({ milli, pricePoints }) => {
      // Independent rounding: value in 10^-7, half up to 10^-2 (all values are non-negative)
      const grossCents = (milli * pricePoints + 50_000n) / 100_000n
      return fc.bigInt({ min: 0n, max: grossCents }).map((discountCents) => ({ milli, pricePoints, grossCents, discountCents }))
    })

  test('the total of an independent BigInt computation is accepted and one cent more is refused', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), (ls) => {
        // Arrange
        const lines = ls.map((l, i) => ({
          sku: `SKU-${i}`,
          category: 'Grocery',
          quantity: fixed(l.milli, 3),
          unit_price: fixed(l.pricePoints, 4),
          discount: fixed(l.discountCents, 2),
        }))
        const totalCents = ls.reduce((sum, l) => sum + l.grossCents - l.discountCents, 0n)
        // Act
        const ok = checkSwipe(sale({ lines, total: fixed(totalCents, 2) }), ctx)
        const off = checkSwipe(sale({ lines, total: fixed(totalCents + 1n, 2) }), ctx)
        // Assert
        expect(ok.ok).toBe(true)
        if (ok.ok) {
          expect(ok.swipe.total).toBe(fixed(totalCents, 2))
          expect(ok.swipe.lines.map((l) => l.amount)).toEqual(ls.map((l) => fixed(l.grossCents - l.discountCents, 2)))
        }
        expect(off.ok).toBe(false)
        if (!off.ok) expect(paths(off.problems)).toEqual(['$.total'])
      }),
      { numRuns: 300 },
    )
  })
})
