import crypto from 'node:crypto'
import { hashSecret, issueKey, parseKey, publicId, secretMatches } from './api-keys'

/** Replaces the character at `index` with a different character of the same alphabet. */
function tamper(text: string, index: number): string {
  const ch = text[index]
  const replacement = ch === 'A' ? 'B' : 'A'
  return text.slice(0, index) + replacement + text.slice(index + 1)
}

describe('issueKey', () => {
  test('an issued token parses back to its key id and secret', () => {
    // Arrange
    const key = issueKey()
    // Act
    const parsed = parseKey(key.token)
    // Assert
    expect(parsed).toEqual({ keyId: key.keyId, secret: key.secret })
  })

  test('the token has the documented shape lsk_<key id>_<secret>', () => {
    const key = issueKey()
    expect(key.keyId).toMatch(/^key_[A-Za-z0-9_-]{12}$/)
    expect(key.token).toBe(`lsk_${key.keyId}_${key.secret}`)
    // 256 random bits in base64url
    expect(Buffer.from(key.secret, 'base64url')).toHaveLength(32)
  })

  test('many issued tokens all parse back, whatever characters their random parts hold', () => {
    for (let i = 0; i < 200; i++) {
      const key = issueKey()
      expect(parseKey(key.token)).toEqual({ keyId: key.keyId, secret: key.secret })
    }
  })

  test('two issued keys differ in id, secret and token', () => {
    const a = issueKey()
    const b = issueKey()
    expect(a.keyId).not.toBe(b.keyId)
    expect(a.secret).not.toBe(b.secret)
    expect(a.token).not.toBe(b.token)
    expect(a.secretHash).not.toBe(b.secretHash)
  })

  test('the stored hash is not the secret and does not contain it', () => {
    const key = issueKey()
    expect(key.secretHash).not.toBe(key.secret)
    expect(key.secretHash).not.toContain(key.secret)
    expect(key.token).not.toContain(key.secretHash)
    expect(key.secretHash).toBe(crypto.createHash('sha256').update(key.secret).digest('hex'))
  })
})

describe('secretMatches', () => {
  test('the issued secret matches its stored hash', () => {
    const key = issueKey()
    expect(secretMatches(key.secret, key.secretHash)).toBe(true)
  })

  test("another key's secret does not match", () => {
    const key = issueKey()
    const other = issueKey()
    expect(secretMatches(other.secret, key.secretHash)).toBe(false)
  })

  test('a token with one character of its secret changed still parses but no longer matches', () => {
    // Arrange
    const key = issueKey()
    const tampered = tamper(key.token, key.token.length - 5)
    // Act
    const parsed = parseKey(tampered)
    // Assert
    expect(parsed).not.toBeNull()
    expect(parsed!.keyId).toBe(key.keyId)
    expect(secretMatches(parsed!.secret, key.secretHash)).toBe(false)
  })

  test('the hash itself presented as the secret does not match', () => {
    const key = issueKey()
    expect(secretMatches(key.secretHash, key.secretHash)).toBe(false)
  })

  test('a stored hash that is malformed or empty never matches', () => {
    const key = issueKey()
    expect(secretMatches(key.secret, '')).toBe(false)
    expect(secretMatches(key.secret, 'not-hex')).toBe(false)
    expect(secretMatches(key.secret, key.secretHash.slice(0, 32))).toBe(false)
  })

  test('hashSecret is deterministic', () => {
    expect(hashSecret('s3cret')).toBe(hashSecret('s3cret'))
    expect(hashSecret('s3cret')).not.toBe(hashSecret('s3cres'))
  })
})

describe('parseKey', () => {
  const valid = issueKey().token

  test.each([
    ['empty', ''],
    ['wrong prefix', valid.replace(/^lsk_/, 'sk_')],
    ['upper-case prefix', valid.replace(/^lsk_/, 'LSK_')],
    ['missing key_ marker', valid.replace('lsk_key_', 'lsk_kez_')],
    ['secret one character short', valid.slice(0, -1)],
    ['secret one character long', `${valid}A`],
    ['key id one character short', valid.replace(/^lsk_key_./, 'lsk_key_')],
    ['character outside base64url', `${valid.slice(0, -1)}+`],
    ['padding', `${valid.slice(0, -1)}=`],
    ['surrounding space', ` ${valid}`],
    ['trailing newline', `${valid}\n`],
    ['Bearer scheme left on', `Bearer ${valid}`],
  ])('a malformed token (%s) is refused', (_label, token) => {
    expect(parseKey(token)).toBeNull()
  })

  test('the well-formed token the malformed cases were derived from parses', () => {
    expect(parseKey(valid)).not.toBeNull()
  })
})

describe('publicId', () => {
  test('an id carries its prefix and ids differ', () => {
    const a = publicId('sto')
    const b = publicId('sto')
    expect(a.startsWith('sto_')).toBe(true)
    expect(a).not.toBe(b)
  })

  test('the random part holds only letters and digits', () => {
    for (let i = 0; i < 200; i++) expect(publicId('sto')).toMatch(/^sto_[A-Za-z0-9]{14}$/)
  })
})
