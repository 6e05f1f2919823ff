import fc from 'fast-check'
import { formatScaled, parseScaled, roundDivPow10 } from './decimal'

describe('parseScaled', () => {
  test('a whole number is scaled up to the requested number of places', () => {
    // Arrange
    const text = '12'
    // Act
    const units = parseScaled(text, 2)
    // Assert
    expect(units).toBe(1200n)
  })

  test('a fraction shorter than the scale is padded with zeros', () => {
    expect(parseScaled('12.3', 2)).toBe(1230n)
    expect(parseScaled('0.5', 4)).toBe(5000n)
  })

  test('a fraction of exactly the scale is read digit for digit', () => {
    expect(parseScaled('12.30', 2)).toBe(1230n)
    expect(parseScaled('0.001', 3)).toBe(1n)
  })

  test('a whole number at scale 0 is read as is', () => {
    expect(parseScaled('42', 0)).toBe(42n)
  })

  test('more decimal places than the scale allows are refused, not rounded', () => {
    expect(parseScaled('12.345', 2)).toBeNull()
    expect(parseScaled('1.0', 0)).toBeNull()
    expect(parseScaled('0.0001', 3)).toBeNull()
  })

  test('a leading minus makes the value negative', () => {
    expect(parseScaled('-1.5', 2)).toBe(-150n)
    expect(parseScaled('-0.05', 2)).toBe(-5n)
  })

  test('a leading plus sign is refused', () => {
    expect(parseScaled('+1.5', 2)).toBeNull()
  })

  test('exponent notation is refused', () => {
    expect(parseScaled('1e3', 2)).toBeNull()
    expect(parseScaled('1E-2', 2)).toBeNull()
    expect(parseScaled('1.5e+2', 2)).toBeNull()
  })

  test.each(['', 'abc', '1.', '.5', '1,5', ' 1', '1 ', '--1', '1.2.3', '0x10', 'NaN', 'Infinity', '١٢'])(
    'text that is not a plain decimal (%j) is refused',
    (text) => {
      expect(parseScaled(text, 2)).toBeNull()
    },
  )

  test('values beyond the float range are parsed exactly', () => {
    expect(parseScaled('123456789012345678901234567890.12', 2)).toBe(12345678901234567890123456789012n)
  })
})

describe('formatScaled', () => {
  test('small values are padded with leading zeros', () => {
    expect(formatScaled(5n, 2)).toBe('0.05')
    expect(formatScaled(0n, 2)).toBe('0.00')
    expect(formatScaled(1n, 4)).toBe('0.0001')
  })

  test('small negative values keep the minus in front of the padding', () => {
    expect(formatScaled(-5n, 2)).toBe('-0.05')
    expect(formatScaled(-1230n, 2)).toBe('-12.30')
  })

  test('exactly `scale` decimals are written, trailing zeros included', () => {
    expect(formatScaled(1230n, 2)).toBe('12.30')
    expect(formatScaled(12_300n, 3)).toBe('12.300')
  })

  test('scale 0 writes a whole number without a decimal point', () => {
    expect(formatScaled(123n, 0)).toBe('123')
    expect(formatScaled(-7n, 0)).toBe('-7')
    expect(formatScaled(0n, 0)).toBe('0')
  })
})

describe('roundDivPow10', () => {
  test('positive exact halves round up (away from zero)', () => {
    expect(roundDivPow10(5n, 1)).toBe(1n)
    expect(roundDivPow10(15n, 1)).toBe(2n)
    expect(roundDivPow10(25n, 1)).toBe(3n) // not banker's rounding
    expect(roundDivPow10(4995n, 1)).toBe(500n)
    expect(roundDivPow10(50n, 2)).toBe(1n)
  })

  test('negative exact halves round down (away from zero)', () => {
    expect(roundDivPow10(-5n, 1)).toBe(-1n)
    expect(roundDivPow10(-15n, 1)).toBe(-2n)
    expect(roundDivPow10(-25n, 1)).toBe(-3n)
    expect(roundDivPow10(-50n, 2)).toBe(-1n)
  })

  test('just below a half rounds toward zero, just above rounds away', () => {
    expect(roundDivPow10(149n, 2)).toBe(1n)
    expect(roundDivPow10(151n, 2)).toBe(2n)
    expect(roundDivPow10(-149n, 2)).toBe(-1n)
    expect(roundDivPow10(-151n, 2)).toBe(-2n)
  })

  test('dividing by 10^0 leaves the value unchanged', () => {
    expect(roundDivPow10(-12345n, 0)).toBe(-12345n)
    expect(roundDivPow10(12345n, 0)).toBe(12345n)
  })
})

describe('properties', () => {
  /** A canonical decimal text at `scale`: no leading zeros, exactly `scale` decimals, no "-0". */
  const canonical = fc
    .record({
      scale: fc.integer({ min: 0, max: 6 }),
      magnitude: fc.bigInt({ min: 0n, max: 10n ** 24n }),
      negative: fc.boolean(),
    })
    .map(({ scale, magnitude, negative }) => {
      const divisor = 10n ** BigInt(scale)
      const whole = (magnitude / divisor).toString()
      const fraction = (magnitude % divisor).toString().padStart(scale, '0')
      const body = scale === 0 ? whole : `${whole}.${fraction}`
      return { scale, text: negative && magnitude !== 0n ? `-${body}` : body }
    })

  test('formatting a parsed canonical decimal gives back the same text', () => {
    fc.assert(
      fc.property(canonical, ({ scale, text }) => {
        const units = parseScaled(text, scale)
        expect(units).not.toBeNull()
        expect(formatScaled(units!, scale)).toBe(text)
      }),
    )
  })

  test('parsing formatted units gives back the same units', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.integer({ min: 0, max: 6 }), (units, scale) => {
        expect(parseScaled(formatScaled(units, scale), scale)).toBe(units)
      }),
    )
  })

  /** Round half away from zero via quotient and remainder of the magnitude. */
  function referenceRound(units: bigint, places: number): bigint {
    const divisor = 10n ** BigInt(places)
    const magnitude = units < 0n ? -units : units
    let quotient = magnitude / divisor
    const remainder = magnitude % divisor
    if (remainder * 2n >= divisor) quotient += 1n
    return units < 0n ? -quotient : quotient
  }

  test('roundDivPow10 agrees with an independent quotient-and-remainder rounding', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }), (units, places) => {
        expect(roundDivPow10(units, places)).toBe(referenceRound(units, places))
      }),
    )
  })

  test('roundDivPow10 agrees with the reference at exact halves of every sign', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 1, max: 8 }), (k, places) => {
        const divisor = 10n ** BigInt(places)
        const half = k * divisor + (k < 0n ? -divisor / 2n : divisor / 2n)
        expect(roundDivPow10(half, places)).toBe(referenceRound(half, places))
        expect(roundDivPow10(half, places)).toBe(k < 0n ? k - 1n : k + 1n)
      }),
    )
  })
})
