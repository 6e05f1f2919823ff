import crypto from 'node:crypto'

/**
 * Till API keys look like `lsk_<key id>_<secret>`. The key id is public and indexes the row;
 * the secret is 256 random bits, so a plain SHA-256 of it is as strong at rest as a slow hash
 * of a password would be, and checking it costs microseconds on the ingest hot path.
 */
export interface IssuedKey {
  keyId: string
  secret: string
  secretHash: string
  /** The full key, shown once to the operator and never stored. */
  token: string
}

export function issueKey(): IssuedKey {
  const keyId = `key_${crypto.randomBytes(9).toString('base64url')}`
  const secret = crypto.randomBytes(32).toString('base64url')
  return { keyId, secret, secretHash: hashSecret(secret), token: `lsk_${keyId}_${secret}` }
}

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex')
}

/** Splits a presented key into its id and secret, or null if it is not shaped like one. */
export function parseKey(token: string): { keyId: string; secret: string } | null {
  const match = /^lsk_(key_[A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/.exec(token)
  return match ? { keyId: match[1]!, secret: match[2]! } : null
}

/** Constant-time comparison of the presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex')
  const stored = Buffer.from(storedHash, 'hex')
  return presented.length === stored.length && crypto.timingSafeEqual(presented, stored)
}

/** A new public id with a prefix (`sto_…`), as Medusa's are. */
export function publicId(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(10).toString('base64url').replace(/[-_]/g, 'x')}`
}
