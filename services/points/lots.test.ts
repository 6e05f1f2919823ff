import fc from 'fast-check'
import { allocateRedemption, drawOrder, expireLots, expiringSoon, expiryDate, type Lot } from './lots'

function makeLot(overrides: Partial<Lot> = {}): Lot {
  return { id: 'lot_a', earned_at: '2025-06-01T10:00:00.000Z', expires_at: '2026-06-02T00:00:00.000Z', remaining: 100, ...overrides }
}

describe('allocateRedemption', () => {
  test('draws the lots that expire first, then the earlier earned', () => {
    // Arrange: C and B expire together (C earned first), A later. 100 = C 30 + B 50 + A 20.
    const lots = [
      makeLot({ id: 'lot_a', expires_at: '2026-03-01T00:00:00Z', remaining: 100 }),
      makeLot({ id: 'lot_b', earned_at: '2025-02-10T00:00:00Z', expires_at: '2026-02-01T00:00:00Z', remaining: 50 }),
      makeLot({ id: 'lot_c', earned_at: '2025-02-01T00:00:00Z', expires_at: '2026-02-01T00:00:00Z', remaining: 30 }),
    ]
    // Act
    const result = allocateRedemption(lots, 100)
    // Assert
    expect(result).toEqual({
      ok: true,
      allocations: [
        { lot_id: 'lot_c', points: 30 },
        { lot_id: 'lot_b', points: 50 },
        { lot_id: 'lot_a', points: 20 },
      ],
    })
  })

  test('lots alike in expiry and earn are drawn in id order', () => {
    const result = allocateRedemption([makeLot({ id: 'lot_z', remaining: 5 }), makeLot({ id: 'lot_m', remaining: 5 })], 6)
    expect(result).toEqual({ ok: true, allocations: [{ lot_id: 'lot_m', points: 5 }, { lot_id: 'lot_z', points: 1 }] })
  })

  test('instants are compared as instants, not as text: +02:00 can be earlier than Z', () => {
    // 2026-02-01T01:00+02:00 is 2026-01-31T23:00Z, before 2026-02-01T00:00Z.
    const lots = [makeLot({ id: 'lot_z', expires_at: '2026-02-01T00:00:00Z' }), makeLot({ id: 'lot_p', expires_at: '2026-02-01T01:00:00+02:00' })]
    expect(drawOrder(lots).map((l) => l.id)).toEqual(['lot_p', 'lot_z'])
  })

  test('a request beyond the balance draws nothing and says what is available', () => {
    const result = allocateRedemption([makeLot({ remaining: 40 }), makeLot({ id: 'lot_b', remaining: 59 })], 100)
    expect(result).toEqual({ ok: false, reason: 'insufficient_balance', requested: 100, available: 99 })
  })

  test('a request of exactly the balance empties every lot', () => {
    const result = allocateRedemption([makeLot({ remaining: 40 }), makeLot({ id: 'lot_b', remaining: 60 })], 100)
    expect(result.ok && result.allocations.map((a) => a.points)).toEqual([40, 60])
  })

  test('given asOf, a lot already expired is not drawn even before the expiry job ran', () => {
    const lots = [makeLot({ id: 'lot_old', expires_at: '2026-01-01T00:00:00Z', remaining: 80 }), makeLot({ id: 'lot_new', remaining: 30 })]
    const asOf = new Date('2026-01-01T00:00:00Z')
    expect(allocateRedemption(lots, 20, { asOf })).toEqual({ ok: true, allocations: [{ lot_id: 'lot_new', points: 20 }] })
    expect(allocateRedemption(lots, 50, { asOf })).toMatchObject({ ok: false, available: 30 })
  })

  test('lots with nothing left are skipped rather than listed with 0', () => {
    const lots = [makeLot({ id: 'lot_empty', expires_at: '2026-01-01T00:00:00Z', remaining: 0 }), makeLot()]
    expect(allocateRedemption(lots, 10)).toEqual({ ok: true, allocations: [{ lot_id: 'lot_a', points: 10 }] })
  })

  test('redeeming nothing draws nothing; a negative or fractional request is refused', () => {
    expect(allocateRedemption([makeLot()], 0)).toEqual({ ok: true, allocations: [] })
    expect(() => allocateRedemption([makeLot()], -1)).toThrow(RangeError)
    expect(() => allocateRedemption([makeLot()], 1.5)).toThrow(RangeError)
  })

  describe('properties', () => {
    const lotsArb = fc.uniqueArray(
      fc.record({
        id: fc.stringMatching(/^lot_[a-z0-9]{1,6}$/),
        earned: fc.integer({ min: 0, max: 1000 }),
        life: fc.integer({ min: 1, max: 500 }),
        remaining: fc.integer({ min: 0, max: 1000 }),
      }),
      { selector: (l) => l.id, maxLength: 12 },
    )
    const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString()
    const toLots = (xs: { id: string; earned: number; life: number; remaining: number }[]): Lot[] =>
      xs.map((x) => ({ id: x.id, earned_at: day(x.earned), expires_at: day(x.earned + x.life), remaining: x.remaining }))

    test('allocations never exceed a lot, sum to the request, and draw oldest first', () => {
      fc.assert(
        fc.property(lotsArb, fc.integer({ min: 0, max: 12_000 }), (raw, points) => {
          const lots = toLots(raw)
          const balance = lots.reduce((s, l) => s + l.remaining, 0)
          const result = allocateRedemption(lots, points)
          if (!result.ok) {
            expect(points).toBeGreaterThan(balance)
            return
          }
          expect(points).toBeLessThanOrEqual(balance)
          expect(result.allocations.reduce((s, a) => s + a.points, 0)).toBe(points)
          const byId = new Map(lots.map((l) => [l.id, l]))
          for (const a of result.allocations) {
            expect(a.points).toBeGreaterThan(0)
            expect(a.points).toBeLessThanOrEqual(byId.get(a.lot_id)!.remaining)
          }
          // Oldest first: every lot drawn before the last one is drawn in full, in draw order.
          const order = drawOrder(lots).filter((l) => l.remaining > 0)
          const drawn = result.allocations.map((a) => a.lot_id)
          expect(drawn).toEqual(order.slice(0, drawn.length).map((l) => l.id))
          result.allocations.slice(0, -1).forEach((a) => expect(a.points).toBe(byId.get(a.lot_id)!.remaining))
        }),
      )
    })
  })
})

describe('expireLots', () => {
  test('a lot expires at its expires_at instant, not a millisecond before', () => {
    const lots = [makeLot({ expires_at: '2026-03-01T00:00:00.000Z', remaining: 70 })]
    expect(expireLots(lots, new Date('2026-02-28T23:59:59.999Z'))).toEqual([])
    expect(expireLots(lots, new Date('2026-03-01T00:00:00.000Z'))).toEqual([{ lot_id: 'lot_a', points: 70 }])
  })

  test('every lot due by asOf expires its remaining, spent lots are not listed', () => {
    const lots = [
      makeLot({ id: 'lot_1', expires_at: '2026-01-01T00:00:00Z', remaining: 10 }),
      makeLot({ id: 'lot_2', expires_at: '2026-02-01T00:00:00Z', remaining: 0 }),
      makeLot({ id: 'lot_3', expires_at: '2026-02-15T00:00:00Z', remaining: 25 }),
      makeLot({ id: 'lot_4', expires_at: '2026-04-01T00:00:00Z', remaining: 99 }),
    ]
    expect(expireLots(lots, new Date('2026-03-01T00:00:00Z'))).toEqual([
      { lot_id: 'lot_1', points: 10 },
      { lot_id: 'lot_3', points: 25 },
    ])
  })
})

describe('expiringSoon', () => {
  const lots = [
    makeLot({ id: 'lot_gone', expires_at: '2026-05-01T00:00:00Z', remaining: 5 }),
    makeLot({ id: 'lot_soon', expires_at: '2026-05-20T00:00:00Z', remaining: 40 }),
    makeLot({ id: 'lot_edge', expires_at: '2026-05-31T00:00:00Z', remaining: 2 }),
    makeLot({ id: 'lot_later', expires_at: '2026-05-31T00:00:00.001Z', remaining: 900 }),
  ]

  test('lists points expiring after `from` and up to `days` later, soonest first', () => {
    // From 1 May 00:00 for 30 days: up to 31 May 00:00 inclusive; lot_gone has already expired.
    const soon = expiringSoon(lots, new Date('2026-05-01T00:00:00Z'), 30)
    expect(soon).toEqual({
      total: 42,
      lots: [
        { lot_id: 'lot_soon', points: 40, expires_at: '2026-05-20T00:00:00Z' },
        { lot_id: 'lot_edge', points: 2, expires_at: '2026-05-31T00:00:00Z' },
      ],
    })
  })

  test('a window of 0 days holds nothing; a fractional one is refused', () => {
    expect(expiringSoon(lots, new Date('2026-05-01T00:00:00Z'), 0)).toEqual({ total: 0, lots: [] })
    expect(() => expiringSoon(lots, new Date(), 1.5)).toThrow(RangeError)
  })
})

describe('expiryDate', () => {
  test.each([
    // earned, months, expires_at (the midnight after the last usable day)
    ['2026-01-31T15:00:00Z', 1, '2026-03-01T00:00:00.000Z'], // last day 28 Feb 2026
    ['2028-01-30T08:00:00Z', 1, '2028-03-01T00:00:00.000Z'], // 30 Feb → 29 Feb in a leap year
    ['2026-03-31T00:00:00Z', 1, '2026-05-01T00:00:00.000Z'], // 31 Apr → 30 Apr
    ['2026-01-15T23:59:59Z', 12, '2027-01-16T00:00:00.000Z'],
    ['2026-11-30T12:00:00Z', 3, '2027-03-01T00:00:00.000Z'], // 30 Feb 2027 → 28 Feb; year rolls
    ['2026-06-10T22:30:00-03:00', 1, '2026-07-12T00:00:00.000Z'], // 11 Jun in UTC
  ])('points earned %s expire %i month(s) on at %s', (earned, months, expected) => {
    expect(expiryDate(new Date(earned), months).toISOString()).toBe(expected)
  })

  test('a non-positive or fractional number of months is refused', () => {
    expect(() => expiryDate(new Date(), 0)).toThrow(RangeError)
    expect(() => expiryDate(new Date(), 1.5)).toThrow(RangeError)
  })

  test('always the UTC midnight ending the same day-of-month in the target month, or its last day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.integer({ min: 1, max: 60 }), (earned, months) => {
        const expires = expiryDate(earned, months)
        const lastDay = new Date(expires.getTime() - 1)
        expect(expires.getUTCHours() + expires.getUTCMinutes() + expires.getUTCSeconds() + expires.getUTCMilliseconds()).toBe(0)
        const monthsOn = (lastDay.getUTCFullYear() - earned.getUTCFullYear()) * 12 + lastDay.getUTCMonth() - earned.getUTCMonth()
        expect(monthsOn).toBe(months)
        expect(lastDay.getUTCDate()).toBeLessThanOrEqual(earned.getUTCDate())
        // Clamped only when the target month is too short: then it is that month's last day.
        if (lastDay.getUTCDate() < earned.getUTCDate()) expect(expires.getUTCDate()).toBe(1)
      }),
    )
  })
})

test('lots with the same expiry and earn time are drawn in numeric id order, as the ledger numbers them', () => {
  const at = '2026-01-01T00:00:00.000Z'
  const lots = [
    { id: '10240', earned_at: at, expires_at: '2028-01-02T00:00:00.000Z', remaining: 5 },
    { id: '9216', earned_at: at, expires_at: '2028-01-02T00:00:00.000Z', remaining: 5 },
  ]
  expect(allocateRedemption(lots, 6)).toEqual({ ok: true, allocations: [{ lot_id: '9216', points: 5 }, { lot_id: '10240', points: 1 }] })
})
