import fc from 'fast-check'
import { formatScaled } from '../platform/decimal'
import type { AwardedBonus } from './score-swipe'
import { scoreSwipe } from './score-swipe'
import { DAIRY_WEEKEND, SATURDAY, makeRules, makeSale } from './points.factories'
import { earnedSale, reverseReturn, type EarnedSale, type Returned } from './reverse-return'

const none = () => new Map<string, Returned>()

/** A stored sale with the given lines (points already decided) and bonuses. */
function sale(lines: { sku: string; quantity: string; points: number }[], amount = '100.00', bonuses: AwardedBonus[] = []): EarnedSale {
  return { txn_id: 'T-1', amount, lines: lines.map((l, i) => ({ line_no: i + 1, ...l })), bonuses }
}
const ret = (sku: string, quantity: string, amount = '0.00') => ({ sku, quantity, amount })

describe('line reversals', () => {
  test('returning a third of a line at a time reverses 3, 3 and 4 of its 10 points', () => {
    // Arrange: 10 points over 3 units. floor(10·1/3) − 0 = 3; floor(10·2/3) − 3 = 3; 10 − 6 = 4.
    const s = sale([{ sku: 'WINE', quantity: '3', points: 10 }])
    // Act
    const first = reverseReturn(s, none(), [ret('WINE', '1')])
    const second = reverseReturn(s, new Map([['WINE', { quantity: '1', amount: '0.00' }]]), [ret('WINE', '1')])
    const third = reverseReturn(s, new Map([['WINE', { quantity: '2', amount: '0.00' }]]), [ret('WINE', '1')])
    // Assert
    expect([first.total, second.total, third.total]).toEqual([3, 3, 4])
  })

  test('a return takes back what the returned line earned, not a share of the basket', () => {
    // Arrange: Saturday, 5.00 of dairy (×2 → 10 points) and 5.00 of bread (5 points): 15 in
    // all. Returning the milk takes back 10; a pro-rata share by value would be 7.5.
    const swipe = makeSale(
      [
        { sku: 'MILK-1L', category: 'Dairy', quantity: '5', unit_price: '1.00' },
        { sku: 'BREAD-WH', category: 'Bakery', quantity: '5', unit_price: '1.00' },
      ],
      { occurred_at: SATURDAY },
    )
    const score = scoreSwipe(swipe, { rules: makeRules({ multipliers: [DAIRY_WEEKEND] }), tier: null })
    // Act
    const reversal = reverseReturn(earnedSale(swipe, score), none(), [ret('MILK-1L', '5', '5.00')])
    // Assert
    expect(score.total).toBe(15)
    expect(reversal).toEqual({ total: 10, lines: [{ sku: 'MILK-1L', points: 10 }], bonuses: [] })
  })

  test('lines of one SKU are pooled, since a return names SKUs, not line numbers', () => {
    // Arrange: MILK on two lines, 3 points over 2 units and 4 over 2: 7 over 4.
    // One unit: floor(7·1/4) = 1. The other three: 7 − 1 = 6.
    const s = sale([
      { sku: 'MILK', quantity: '2', points: 3 },
      { sku: 'MILK', quantity: '2', points: 4 },
    ])
    // Act
    const one = reverseReturn(s, none(), [ret('MILK', '1')])
    const rest = reverseReturn(s, new Map([['MILK', { quantity: '1', amount: '0.00' }]]), [ret('MILK', '3')])
    // Assert
    expect(one.total).toBe(1)
    expect(rest.total).toBe(6)
  })

  test('weighed goods are returned by fractional quantity: 0.250 of 0.750 kg that earned 7', () => {
    // floor(7·250/750) = 2; then 0.500 more: 7 − 2 = 5.
    const s = sale([{ sku: 'CHEESE', quantity: '0.750', points: 7 }])
    expect(reverseReturn(s, none(), [ret('CHEESE', '0.250')]).total).toBe(2)
    expect(reverseReturn(s, new Map([['CHEESE', { quantity: '0.250', amount: '0.00' }]]), [ret('CHEESE', '0.5')]).total).toBe(5)
  })

  test('a SKU scanned twice in one return is reversed as one', () => {
    const s = sale([{ sku: 'WINE', quantity: '3', points: 10 }])
    const reversal = reverseReturn(s, none(), [ret('WINE', '1'), ret('WINE', '1')])
    expect(reversal.lines).toEqual([{ sku: 'WINE', points: 6 }])
  })

  test('returning a SKU the sale did not have, or more than it had, is refused', () => {
    const s = sale([{ sku: 'WINE', quantity: '3', points: 10 }])
    expect(() => reverseReturn(s, none(), [ret('BEER', '1')])).toThrow(/BEER was not in sale T-1/)
    expect(() => reverseReturn(s, new Map([['WINE', { quantity: '2.5', amount: '0.00' }]]), [ret('WINE', '1')])).toThrow(/more WINE/)
  })
})

describe('bonus reversals', () => {
  const coffeeBonus: AwardedBonus = { rule_id: 'rul_coffee', name: '+50 with coffee', points: 50, condition: { type: 'sku', sku: 'COFFEE' } }
  const bigBasket: AwardedBonus = {
    rule_id: 'rul_big',
    name: '+100 over 50.00',
    points: 100,
    condition: { type: 'basket_total', currency: 'EUR', min_total: '50.00' },
  }

  test('a SKU bonus is reversed with the last unit of that SKU, and only then', () => {
    // Arrange: 2 coffees (8 points) and bread (52 points) in a 60.00 basket with a +50 coffee bonus.
    const s = sale([{ sku: 'COFFEE', quantity: '2', points: 8 }, { sku: 'BREAD', quantity: '1', points: 52 }], '60.00', [coffeeBonus])
    // Act
    const first = reverseReturn(s, none(), [ret('COFFEE', '1', '4.00')])
    const last = reverseReturn(s, new Map([['COFFEE', { quantity: '1', amount: '4.00' }]]), [ret('COFFEE', '1', '4.00')])
    // Assert
    expect(first).toEqual({ total: 4, lines: [{ sku: 'COFFEE', points: 4 }], bonuses: [] })
    expect(last).toEqual({ total: 54, lines: [{ sku: 'COFFEE', points: 4 }], bonuses: [{ rule_id: 'rul_coffee', name: '+50 with coffee', points: 50 }] })
  })

  test('a basket-total bonus is reversed by the return that takes the kept value below the threshold, once', () => {
    // Arrange: 60.00 sale, +100 at 50.00. Refund 5.00 → 55.00 kept: bonus stays.
    // Refund 10.00 more → 45.00: reversed. Refund 5.00 more → 40.00: already gone.
    const s = sale([{ sku: 'A', quantity: '6', points: 60 }], '60.00', [bigBasket])
    const after = (quantity: string, amount: string) => new Map([['A', { quantity, amount }]])
    // Act
    const first = reverseReturn(s, none(), [ret('A', '1', '5.00')])
    const second = reverseReturn(s, after('1', '5.00'), [ret('A', '1', '10.00')])
    const third = reverseReturn(s, after('2', '15.00'), [ret('A', '1', '5.00')])
    // Assert
    expect(first.bonuses).toEqual([])
    expect(second.bonuses).toEqual([{ rule_id: 'rul_big', name: '+100 over 50.00', points: 100 }])
    expect(third.bonuses).toEqual([])
  })

  test('a return that leaves exactly the threshold keeps the bonus', () => {
    const s = sale([{ sku: 'A', quantity: '6', points: 60 }], '60.00', [bigBasket])
    expect(reverseReturn(s, none(), [ret('A', '1', '10.00')]).bonuses).toEqual([])
  })

  test('returning every unit reverses every bonus, even when the till refunded less than it charged', () => {
    // 60.00 sale with +100 at 20.00; all 6 units back for only 30.00. By value 30.00 is
    // still "kept" (≥ 20.00), but no goods are: 60 line points + the 100 bonus go back.
    const low: AwardedBonus = { ...bigBasket, rule_id: 'rul_low', condition: { type: 'basket_total', currency: 'EUR', min_total: '20.00' } }
    const s = sale([{ sku: 'A', quantity: '6', points: 60 }], '60.00', [low])
    const reversal = reverseReturn(s, none(), [ret('A', '6', '30.00')])
    expect(reversal.total).toBe(160)
  })
})

describe('properties', () => {
  /** A quantity Q (10^-3 units) cut into 1..6 positive parts, in order. */
  const splitArb = fc
    .record({ q: fc.bigInt({ min: 1n, max: 100_000n }), cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }) })
    .map(({ q, cuts }) => {
      const points = [...new Set(cuts.map((c) => (q * BigInt(Math.floor(c * 1e6))) / 1_000_000n))].filter((p) => p > 0n && p < q)
      const edges = [0n, ...points.sort((a, b) => (a < b ? -1 : 1)), q]
      return { q, parts: edges.slice(1).map((e, i) => e - edges[i]!) }
    })

  test("for any split of a line's quantity into returns, the reversals sum to exactly the line's points", () => {
    fc.assert(
      fc.property(splitArb, fc.integer({ min: 0, max: 1_000_000 }), ({ q, parts }, p) => {
        const s = sale([{ sku: 'X', quantity: formatScaled(q, 3), points: p }])
        let before = 0n
        let reversed = 0
        for (const part of parts) {
          const r = reverseReturn(s, new Map([['X', { quantity: formatScaled(before, 3), amount: '0.00' }]]), [ret('X', formatScaled(part, 3))])
          expect(r.total).toBeGreaterThanOrEqual(0)
          reversed += r.total
          before += part
        }
        expect(reversed).toBe(p)
      }),
    )
  })

  test('returning a whole scored basket in any steps reverses exactly what it earned, each bonus once', () => {
    const lineArb = fc.record({ sku: fc.constantFrom('A', 'B', 'C'), quantity: fc.integer({ min: 1, max: 5 }), cents: fc.integer({ min: 0, max: 3000 }) })
    const rules = makeRules({
      multipliers: [{ id: 'rul_b', name: 'B ×3', scope: { type: 'skus', skus: ['B'] }, multiplier: '3' }],
      bonuses: [
        { id: 'rul_c', name: 'C', points: 25, condition: { type: 'sku', sku: 'C' } },
        { id: 'rul_t', name: 'Big', points: 40, condition: { type: 'basket_total', currency: 'EUR', min_total: '30.00' } },
      ],
    })
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), (lines, picks) => {
        const swipe = makeSale(lines.map((l) => ({ sku: l.sku, category: 'Any', quantity: String(l.quantity), unit_price: formatScaled(BigInt(l.cents), 2) })))
        const score = scoreSwipe(swipe, { rules, tier: null })
        const stored = earnedSale(swipe, score)
        // Return one unit at a time in an order the picks choose, refunding 1.00 a unit.
        const units = lines.flatMap((l) => Array.from({ length: l.quantity }, () => l.sku))
        const returned = new Map<string, Returned>()
        const bonusIds: string[] = []
        let reversed = 0
        for (let k = 0; units.length > 0; k++) {
          const [sku] = units.splice((picks[k % picks.length] ?? 0) % units.length, 1)
          const r = reverseReturn(stored, returned, [ret(sku!, '1', '1.00')])
          reversed += r.total
          bonusIds.push(...r.bonuses.map((b) => b.rule_id))
          const prev = returned.get(sku!) ?? { quantity: '0', amount: '0.00' }
          returned.set(sku!, { quantity: String(Number(prev.quantity) + 1), amount: formatScaled(BigInt(prev.amount.replace('.', '')) + 100n, 2) })
        }
        expect(reversed).toBe(score.total)
        expect(bonusIds.sort()).toEqual(score.bonuses.map((b) => b.rule_id).sort())
      }),
      { numRuns: 60 },
    )
  })
})

test('earnedSale keeps each line with its SKU, quantity and points', () => {
  const swipe = makeSale([{ sku: 'MILK-1L', category: 'Dairy', quantity: '3', unit_price: '1.99' }], { occurred_at: SATURDAY })
  const score = scoreSwipe(swipe, { rules: makeRules({ multipliers: [DAIRY_WEEKEND] }), tier: null })
  expect(earnedSale(swipe, score)).toEqual({
    txn_id: swipe.txn_id,
    amount: '5.97',
    lines: [{ line_no: 1, sku: 'MILK-1L', quantity: '3.000', points: 10 }],
    bonuses: [],
  })
})
