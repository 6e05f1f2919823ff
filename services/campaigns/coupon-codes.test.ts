import { canonicalCouponCode, CODE_LENGTH, displayCouponCode, newCouponCodes } from './coupon-codes'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

test('new codes are canonical, of the documented length, and all different', () => {
  const codes = newCouponCodes(20_000)
  expect(new Set(codes).size).toBe(codes.length)
  for (const code of codes.slice(0, 500)) {
    expect(code).toHaveLength(CODE_LENGTH)
    expect(canonicalCouponCode(code)).toBe(code)
  }
})

test('every character of the alphabet turns up in every random position (no position is fixed)', () => {
  const codes = newCouponCodes(5_000)
  for (let i = 0; i < CODE_LENGTH - 1; i++) expect(new Set(codes.map((c) => c[i])).size).toBe(32)
})

test('a code is read back from its display form, in lower case, with O for 0 and I or L for 1', () => {
  const [code] = newCouponCodes(1) as [string]
  expect(displayCouponCode(code)).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/)
  expect(canonicalCouponCode(displayCouponCode(code).toLowerCase())).toBe(code)
  const typed = code.replace(/0/g, 'O').replace(/1/g, 'l')
  expect(canonicalCouponCode(typed)).toBe(code)
})

test('every single mistyped character and every swap of two different neighbours is refused', () => {
  for (const code of newCouponCodes(50)) {
    for (let i = 0; i < code.length; i++) {
      for (const c of ALPHABET) {
        if (c === code[i]) continue
        expect(canonicalCouponCode(code.slice(0, i) + c + code.slice(i + 1))).toBeNull()
      }
    }
    for (let i = 0; i + 1 < code.length; i++) {
      if (code[i] === code[i + 1]) continue
      const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2)
      // Luhn mod N's one blind spot: swapping the first and last symbols of the alphabet (0 and Z).
      if ([code[i], code[i + 1]].sort().join('') === '0Z') continue
      expect(canonicalCouponCode(swapped)).toBeNull()
    }
  }
})

test('wrong lengths and characters outside the alphabet are refused', () => {
  const [code] = newCouponCodes(1) as [string]
  expect(canonicalCouponCode(code.slice(1))).toBeNull()
  expect(canonicalCouponCode(code + 'A')).toBeNull()
  expect(canonicalCouponCode(code.slice(0, -1) + 'U')).toBeNull()
  expect(canonicalCouponCode('')).toBeNull()
})
