import crypto from 'node:crypto'
import { z } from 'zod'

/**
 * Short-lived bearer tokens for signed-in staff and members: `lt1.<payload>.<mac>`, the
 * payload base64url JSON, the MAC HMAC-SHA256 under AUTH_SECRET. Hand-written rather than a
 * JWT library because it has one algorithm and nothing to negotiate (no `alg: none`, no key
 * confusion), and it is 40 lines on node:crypto. A token names its subject and expiry only;
 * routes still load the subject, so a blocked, merged or erased account stops at once.
 */
export const TokenClaimsSchema = z.strictObject({
  /** usr_… (staff) or mem_… (member). */
  sub: z.string(),
  kind: z.enum(['staff', 'member']),
  /** Expiry, epoch seconds. */
  exp: z.number().int(),
})
export type TokenClaims = z.infer<typeof TokenClaimsSchema>

const PREFIX = 'lt1'

export interface TokenSigner {
  issue(subject: { sub: string; kind: TokenClaims['kind'] }, ttlSeconds: number, now?: Date): { token: string; expires_at: string }
  /** The claims of a genuine, unexpired token; null for anything else. */
  verify(token: string, now?: Date): TokenClaims | null
}

export function createTokenSigner(secret: string): TokenSigner {
  const key = crypto.createHash('sha256').update(`loyalty-token:${secret}`).digest()
  const mac = (payload: string) => crypto.createHmac('sha256', key).update(`${PREFIX}.${payload}`).digest('base64url')
  return {
    issue(subject, ttlSeconds, now = new Date()) {
      const exp = Math.floor(now.getTime() / 1000) + ttlSeconds
      const payload = Buffer.from(JSON.stringify({ ...subject, exp })).toString('base64url')
      return { token: `${PREFIX}.${payload}.${mac(payload)}`, expires_at: new Date(exp * 1000).toISOString() }
    },
    verify(token, now = new Date()) {
      const [prefix, payload, signature, extra] = token.split('.')
      if (prefix !== PREFIX || !payload || !signature || extra !== undefined) return null
      const expected = Buffer.from(mac(payload))
      const given = Buffer.from(signature)
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null
      let claims: TokenClaims
      try {
        claims = TokenClaimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')))
      } catch {
        return null
      }
      return claims.exp * 1000 > now.getTime() ? claims : null
    },
  }
}
