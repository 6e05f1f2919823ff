import { withLuhnCheckDigit } from './card-number'
import { checkReturn } from './return-rules'
import { checkSwipe, type NormalizedSwipe } from './swipe-rules'

const CARD = withLuhnCheckDigit('912345678901')
const OTHER_CARD = withLuhnCheckDigit('912345678902')
const ctx = { now: new Date('2026-11-20T12:00:00Z'), skewSeconds: 300 }
const AT = '$[0]'

interface LineIn {
  sku: string
  quantity: string
  unit_price: string
  discount?: string
}

/** Σ round_half_up(quantity × unit_price, 2) − discount, computed independently of the code under test. */
function totalOf(lines: LineIn[]): string {
  let cents = 0n
  for (const l of lines) {
    const [qi = '0', qf = ''] = l.quantity.split('.')
    const [pi = '0', pf = ''] = l.unit_price.split('.')
    const milli = BigInt(qi + qf.padEnd(3, '0'))
    const points = BigInt(pi + pf.padEnd(4, '0'))
    const [di = '0', df = ''] = (l.discount ?? '0').split('.')
    cents += (milli * points + 50_000n) / 100_000n - BigInt(di + df.padEnd(2, '0'))
  }
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`
}

function normalized(fields: { kind: 'sale' | 'return'; lines: LineIn[]; card?: string; currency?: string }): NormalizedSwipe {
  const result = checkSwipe(
    {
      txn_id: fields.kind === 'sale' ? 'T-0001' : 'R-0001',
      terminal_id: 'till-1',
      card_number: fields.card ?? CARD,
      occurred_at: '2026-11-20T10:15:00+01:00',
      currency: fields.currency ?? 'EUR',
      kind: fields.kind,
      ...(fields.kind === 'return' ? { original_txn_id: 'T-0001' } : {}),
      lines: fields.lines.map((l) => ({ category: 'Grocery', ...l })),
      total: totalOf(fields.lines),
    },
    ctx,
  )
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.problems)}`)
  return result.swipe
}

/** MILK-1L: 2 × 0.99 = 1.98. BREAD-WH: 1 × 2.49 − 0.50 = 1.99. */
const SALE_LINES: LineIn[] = [
  { sku: 'MILK-1L', quantity: '2', unit_price: '0.99' },
  { sku: 'BREAD-WH', quantity: '1', unit_price: '2.49', discount: '0.50' },
]
const original = () => ({ kind: 'sale', swipe: normalized({ kind: 'sale', lines: SALE_LINES }) })
const returning = (lines: LineIn[], extra: { card?: string; currency?: string } = {}) =>
  normalized({ kind: 'return', lines, ...extra })
const none = () => new Map<string, { quantity: string; amount: string }>()

test('a return of part of a sale on the same card and currency is accepted', () => {
  // Arrange
  const ret = returning([{ sku: 'MILK-1L', quantity: '1', unit_price: '0.99' }])
  // Act
  const problems = checkReturn(ret, original(), none(), AT)
  // Assert
  expect(problems).toEqual([])
})

test('a return naming a sale that was not recorded is refused at original_txn_id', () => {
  const ret = returning([{ sku: 'MILK-1L', quantity: '1', unit_price: '0.99' }])
  const problems = checkReturn(ret, undefined, none(), AT)
  expect(problems).toHaveLength(1)
  expect(problems[0]!.path).toBe('$[0].original_txn_id')
  expect(problems[0]!.message).toContain('T-0001')
})

test('a return naming another return instead of a sale is refused at original_txn_id', () => {
  const ret = returning([{ sku: 'MILK-1L', quantity: '1', unit_price: '0.99' }])
  const otherReturn = { kind: 'return', swipe: returning([{ sku: 'MILK-1L', quantity: '1', unit_price: '0.99' }]) }
  const problems = checkReturn(ret, otherReturn, none(), AT)
  expect(problems.map((p) => p.path)).toEqual(['$[0].original_txn_id'])
})

test('a return on another card than the sale is refused at card_number', () => {
  const ret = returning([{ sku: 'MILK-1L', quantity: '1', unit_price: '0.99' }], { card: OTHER_CARD })
  expect(checkReturn(ret, original(), none(), AT)).toEqual([
    { path: '$[0].card_number', message: 'differs from the card of the original sale' },
  ])
})

test("a return in another currency than the sale is refused at currency, naming the sale's currency", () => {
  const ret = returning([{ sku: 'MILK-1L', quantity: '1', unit_price: '0.99' }], { currency: 'USD' })
  const problems = checkReturn(ret, original(), none(), AT)
  expect(problems.map((p) => p.path)).toEqual(['$[0].currency'])
  expect(problems[0]!.message).toContain('EUR')
})

test('a SKU that was not in the sale is refused at that line', () => {
  const ret = returning([
    { sku: 'MILK-1L', quantity: '1', unit_price: '0.99' },
    { sku: 'EGGS-6', quantity: '1', unit_price: '1.50' },
  ])
  const problems = checkReturn(ret, original(), none(), AT)
  expect(problems.map((p) => p.path)).toEqual(['$[0].lines[1].sku'])
  expect(problems[0]!.message).toContain('EGGS-6')
})

test('card, currency and SKU problems are all named at once', () => {
  const ret = returning([{ sku: 'EGGS-6', quantity: '1', unit_price: '1.50' }], { card: OTHER_CARD, currency: 'USD' })
  const paths = checkReturn(ret, original(), none(), AT).map((p) => p.path)
  expect(paths.sort()).toEqual(['$[0].card_number', '$[0].currency', '$[0].lines[0].sku'])
})

test('returning the whole sale exactly is accepted', () => {
  const ret = returning(SALE_LINES)
  expect(checkReturn(ret, original(), none(), AT)).toEqual([])
})

test('a quantity over what was sold, counting earlier returns, is refused at quantity', () => {
  // Arrange: 1.5 of 2 already back for 0.50; one more makes 2.5, while the amount stays under 1.98
  const soFar = new Map([['MILK-1L', { quantity: '1.500', amount: '0.50' }]])
  const ret = returning([{ sku: 'MILK-1L', quantity: '1', unit_price: '0.99' }])
  // Act
  const problems = checkReturn(ret, original(), soFar, AT)
  // Assert
  expect(problems.map((p) => p.path)).toEqual(['$[0].lines[0].quantity'])
  expect(problems[0]!.message).toContain('2.500')
  expect(problems[0]!.message).toContain('2.000')
})

test('an amount over what the sale charged, counting earlier returns, is refused', () => {
  // Arrange: half the bread back for 1.00; the other half at full price 1.25 makes 2.25 > 1.99
  const soFar = new Map([['BREAD-WH', { quantity: '0.500', amount: '1.00' }]])
  const ret = returning([{ sku: 'BREAD-WH', quantity: '0.5', unit_price: '2.49' }])
  // Act
  const problems = checkReturn(ret, original(), soFar, AT)
  // Assert
  expect(problems).toHaveLength(1)
  expect(problems[0]!.path).toBe('$[0].lines[0].unit_price')
  expect(problems[0]!.message).toContain('2.25')
  expect(problems[0]!.message).toContain('1.99')
})

test('a refund above the discounted amount of the sale is refused even on the first return', () => {
  const ret = returning([{ sku: 'BREAD-WH', quantity: '1', unit_price: '2.49' }])
  const problems = checkReturn(ret, original(), none(), AT)
  expect(problems.map((p) => p.path)).toEqual(['$[0].lines[0].unit_price'])
})

test('earlier returns plus this one exactly equal to the sale are accepted', () => {
  const soFar = new Map([['MILK-1L', { quantity: '1.000', amount: '0.99' }]])
  const ret = returning([{ sku: 'MILK-1L', quantity: '1', unit_price: '0.99' }])
  expect(checkReturn(ret, original(), soFar, AT)).toEqual([])
})

test('earlier returns of another SKU do not count against this one', () => {
  const soFar = new Map([['BREAD-WH', { quantity: '1.000', amount: '1.99' }]])
  const ret = returning([{ sku: 'MILK-1L', quantity: '2', unit_price: '0.99' }])
  expect(checkReturn(ret, original(), soFar, AT)).toEqual([])
})

test('several return lines of the same SKU are summed before the comparison', () => {
  // Arrange: 1 + 1 = 2 is all that was sold; 1 + 1 + 1 = 3 is too many
  const two = returning([
    { sku: 'MILK-1L', quantity: '1', unit_price: '0.99' },
    { sku: 'MILK-1L', quantity: '1', unit_price: '0.99' },
  ])
  const three = returning([
    { sku: 'BREAD-WH', quantity: '1', unit_price: '1.99' },
    { sku: 'MILK-1L', quantity: '1', unit_price: '0.99' },
    { sku: 'MILK-1L', quantity: '1', unit_price: '0.99' },
    { sku: 'MILK-1L', quantity: '1', unit_price: '0.99' },
  ])
  // Act
  const twoProblems = checkReturn(two, original(), none(), AT)
  const threeProblems = checkReturn(three, original(), none(), AT)
  // Assert: the problem is reported at the first line of the SKU
  expect(twoProblems).toEqual([])
  expect(threeProblems.map((p) => p.path)).toEqual(['$[0].lines[1].quantity', '$[0].lines[1].unit_price'])
  expect(threeProblems[0]!.message).toContain('3.000')
})

test('several sale lines of the same SKU are summed into what may be returned', () => {
  const sale = {
    kind: 'sale',
    swipe: normalized({
      kind: 'sale',
      lines: [
        { sku: 'MILK-1L', quantity: '1', unit_price: '0.99' },
        { sku: 'MILK-1L', quantity: '1', unit_price: '0.99' },
      ],
    }),
  }
  expect(checkReturn(returning([{ sku: 'MILK-1L', quantity: '2', unit_price: '0.99' }]), sale, none(), AT)).toEqual([])
  expect(
    checkReturn(returning([{ sku: 'MILK-1L', quantity: '2.001', unit_price: '0.99' }]), sale, none(), AT).map((p) => p.path),
  ).toEqual(['$[0].lines[0].quantity'])
})
