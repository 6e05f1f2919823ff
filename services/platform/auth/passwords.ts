import crypto from 'node:crypto'
import { promisify } from 'node:util'

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>

/**
 * Slow hashes for people's secrets (staff passwords, members' PINs). scrypt from Node's own
 * crypto: memory-hard, no native add-on to build. N = 2^14, r = 8 costs ~16 MiB and ~40 ms
 * here, which is what makes a 4-digit PIN worth guessing only online, behind the lockout.
 * Stored as `scrypt$N$r$p$salt$hash` (base64url) so the cost can be raised later.
 */
const COST = { N: 2 ** 14, r: 8, p: 1 }
const KEY_BYTES = 32

export async function hashSecret(secret: string): Promise<string> {
  const salt = crypto.randomBytes(16)
  const hash = await scrypt(secret.normalize('NFKC'), salt, KEY_BYTES, { ...COST, maxmem: 64 * 1024 * 1024 })
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), hash.toString('base64url')].join('$')
}

/** True when `secret` matches `stored`; constant-time on the hash. A malformed `stored` never matches. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const actual = await scrypt(secret.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  })
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected)
}

/**
 * A verification that costs the same as a real one, for sign-ins naming an unknown account:
 * answering those faster would tell an attacker which e-mails and cards exist.
 */
let dummy: Promise<string> | undefined
export async function verifyAgainstNothing(secret: string): Promise<false> {
  dummy ??= hashSecret(crypto.randomBytes(16).toString('hex'))
  await verifySecret(secret, await dummy)
  return false
}
