import { ERASED, erasureNeedles, redact } from './redact'

const needles = erasureNeedles(['9000000000019'], 'erased-abc', ['Ann.Smith@Example.com', 'Ann Smith', '+33 6 12 34 56 78', null])

test('a card number anywhere in a record becomes the pseudonym', () => {
  const record = { card: '9000000000019', note: 'replaced 9000000000019 after loss', list: ['x', '9000000000019'] }
  expect(redact(record, needles, false)).toEqual({ card: 'erased-abc', note: 'replaced erased-abc after loss', list: ['x', 'erased-abc'] })
})

test('an e-mail, name or phone is erased in any case, inside other text too', () => {
  expect(redact({ note: 'mail from ann.smith@example.COM re: ANN SMITH, call +33 6 12 34 56 78' }, needles, false)).toEqual({
    note: `mail from ${ERASED} re: ${ERASED}, call ${ERASED}`,
  })
})

test('in records about the member, personal fields are blanked whatever they hold; null stays null', () => {
  const record = { name: 'A. Smith', email: 'old@example.com', phone: null, status: 'active', nested: { birthday: '1990-01-01' } }
  expect(redact(record, needles, true)).toEqual({ name: ERASED, email: ERASED, phone: null, status: 'active', nested: { birthday: ERASED } })
  expect(redact(record, needles, false)).toEqual(record)
})

test('needles too short to be safe are not searched for', () => {
  expect(erasureNeedles([], 'p', ['Al', 'Bob']).map((n) => n.text)).toEqual(['Bob'])
})

test('numbers, booleans and null pass through', () => {
  expect(redact({ a: 1, b: true, c: null }, needles, true)).toEqual({ a: 1, b: true, c: null })
})
