import { decimalSchema } from './decimal.schema'

describe('decimalSchema, strings only (staff configuration)', () => {
  const rate = decimalSchema(4, { min: '1', max: '100' })

  test('parses to canonical text with every decimal place written', () => {
    expect(rate.parse('2')).toBe('2.0000')
    expect(rate.parse('1.5')).toBe('1.5000')
  })

  test.each([
    ['too many places', '1.00001'],
    ['below the minimum', '0.9999'],
    ['above the maximum', '100.0001'],
    ['exponent notation', '1e1'],
    ['surrounding spaces', ' 2'],
  ])('refuses %s', (_label, text) => {
    expect(rate.safeParse(text).success).toBe(false)
  })

  test('refuses a JSON number: staff-entered figures must be exact text', () => {
    expect(rate.safeParse(2).success).toBe(false)
  })

  test('an exclusive minimum refuses the minimum itself', () => {
    const positive = decimalSchema(2, { min: '0', max: '10', minExclusive: true })
    expect(positive.safeParse('0.00').success).toBe(false)
    expect(positive.parse('0.01')).toBe('0.01')
  })
})

describe('decimalSchema with numbers (what tills send)', () => {
  const money = decimalSchema(2, { min: '0', max: '1000', numbers: true })

  test('a JSON number is read by its decimal text, to the same canonical value as the string', () => {
    expect(money.parse(12.3)).toBe('12.30')
    expect(money.parse('12.3')).toBe('12.30')
  })

  test('a float artefact is refused, not rounded', () => {
    expect(money.safeParse(0.1 + 0.2).success).toBe(false)
    expect(money.safeParse(4.440892e-16).success).toBe(false)
  })

  test('anything but a string or number is refused with one clear message', () => {
    const result = money.safeParse(true)
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((i) => i.message)).toEqual(['expected a decimal number or string'])
  })
})
