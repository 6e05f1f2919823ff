import fc from 'fast-check'
import { formatScaled } from '../platform/decimal'
import { evaluateTierChange, nextTier, tierForSpend } from './tiers'
import { TiersSchema, type Tiers } from './tiers.schemas'

const TIERS: Tiers = TiersSchema.parse([
  { code: 'bronze', name: 'Bronze', min_spend: '0' },
  { code: 'silver', name: 'Silver', min_spend: '500.00' },
  { code: 'gold', name: 'Gold', min_spend: '1500' },
])

describe('TiersSchema', () => {
  test('thresholds are stored as canonical money', () => {
    expect(TIERS.map((t) => t.min_spend)).toEqual(['0.00', '500.00', '1500.00'])
  })

  test.each([
    ['a first tier above 0.00', [{ code: 'silver', name: 'Silver', min_spend: '500.00' }], [0, 'min_spend']],
    [
      'thresholds that do not rise',
      [
        { code: 'bronze', name: 'Bronze', min_spend: '0.00' },
        { code: 'silver', name: 'Silver', min_spend: '500.00' },
        { code: 'gold', name: 'Gold', min_spend: '500.00' },
      ],
      [2, 'min_spend'],
    ],
    [
      'a code used twice',
      [
        { code: 'bronze', name: 'Bronze', min_spend: '0.00' },
        { code: 'bronze', name: 'Silver', min_spend: '500.00' },
      ],
      [1, 'code'],
    ],
    ['a threshold with 3 decimals', [{ code: 'bronze', name: 'Bronze', min_spend: '0.001' }], [0, 'min_spend']],
    ['a threshold as a number', [{ code: 'bronze', name: 'Bronze', min_spend: 0 }], [0, 'min_spend']],
    ['no tiers at all', [], []],
  ])('%s is refused at its path', (_label, input, path) => {
    const result = TiersSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((i) => i.path)).toContainEqual(path)
  })
})

describe('tierForSpend', () => {
  test.each([
    ['0.00', 'bronze'],
    ['499.99', 'bronze'],
    ['500.00', 'silver'],
    ['1499.99', 'silver'],
    ['1500.00', 'gold'],
    ['99999.00', 'gold'],
    ['-20.00', 'bronze'],
  ])('a 12-month spend of %s is %s', (spend, code) => {
    expect(tierForSpend(spend, TIERS).code).toBe(code)
  })

  test('a spend that is not money is refused, not guessed', () => {
    expect(() => tierForSpend('12.345', TIERS)).toThrow()
  })

  test('more spend never means a lower tier', () => {
    const rank = (spend: bigint) => TIERS.findIndex((t) => t.code === tierForSpend(formatScaled(spend, 2), TIERS).code)
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 300_000n }), fc.bigInt({ min: 0n, max: 300_000n }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a]
        expect(rank(low)).toBeLessThanOrEqual(rank(high))
      }),
    )
  })
})

describe('nextTier', () => {
  test('says what is left to spend for the next tier and how far along the member is', () => {
    // 320.00 of the 500.00 to Silver: 180.00 to go, 64 %.
    expect(nextTier('320.00', TIERS)).toEqual({ tier: TIERS[1], needed: '180.00', percent: 64 })
  })

  test('progress counts from the current tier: 1000.00 is half way from Silver to Gold', () => {
    expect(nextTier('1000.00', TIERS)).toEqual({ tier: TIERS[2], needed: '500.00', percent: 50 })
  })

  test('progress rounds down, so 100 % only once the tier is reached', () => {
    expect(nextTier('1499.99', TIERS)).toMatchObject({ needed: '0.01', percent: 99 })
  })

  test('at the top tier there is nothing next', () => {
    expect(nextTier('1500.00', TIERS)).toBeNull()
  })
})

describe('evaluateTierChange', () => {
  test('an upgrade takes effect at once, review or not', () => {
    expect(evaluateTierChange('bronze', '600.00', { tiers: TIERS, downgradeAllowed: false })).toEqual({ tier: TIERS[1], change: 'upgrade' })
  })

  test('an upgrade may skip a tier', () => {
    expect(evaluateTierChange('bronze', '2000.00', { tiers: TIERS, downgradeAllowed: false }).tier.code).toBe('gold')
  })

  test('between reviews a member whose spend fell keeps the tier', () => {
    expect(evaluateTierChange('gold', '600.00', { tiers: TIERS, downgradeAllowed: false })).toEqual({ tier: TIERS[2], change: 'held' })
  })

  test('at a review the member moves down to the tier the spend supports, however far', () => {
    expect(evaluateTierChange('gold', '600.00', { tiers: TIERS, downgradeAllowed: true })).toEqual({ tier: TIERS[1], change: 'downgrade' })
    expect(evaluateTierChange('gold', '100.00', { tiers: TIERS, downgradeAllowed: true }).tier.code).toBe('bronze')
  })

  test('a spend that still supports the tier changes nothing', () => {
    expect(evaluateTierChange('silver', '500.00', { tiers: TIERS, downgradeAllowed: true })).toEqual({ tier: TIERS[1], change: 'unchanged' })
  })

  test('a member with no tier, or a tier no longer configured, is placed by spend', () => {
    expect(evaluateTierChange(null, '700.00', { tiers: TIERS, downgradeAllowed: false })).toEqual({ tier: TIERS[1], change: 'assigned' })
    expect(evaluateTierChange('platinum', '10.00', { tiers: TIERS, downgradeAllowed: false })).toEqual({ tier: TIERS[0], change: 'assigned' })
  })

  test('never below what the spend supports, and below the current tier only at a review', () => {
    const rank = (code: string) => TIERS.findIndex((t) => t.code === code)
    fc.assert(
      fc.property(fc.constantFrom('bronze', 'silver', 'gold'), fc.bigInt({ min: 0n, max: 300_000n }), fc.boolean(), (current, cents, downgradeAllowed) => {
        const spend = formatScaled(cents, 2)
        const { tier } = evaluateTierChange(current, spend, { tiers: TIERS, downgradeAllowed })
        const earned = rank(tierForSpend(spend, TIERS).code)
        expect(rank(tier.code)).toBeGreaterThanOrEqual(earned)
        if (downgradeAllowed) expect(rank(tier.code)).toBe(earned)
        else expect(rank(tier.code)).toBe(Math.max(earned, rank(current)))
      }),
    )
  })
})
