import type { ApiConfig } from '../app'
import { verifyAgainstNothing, verifySecret } from '../platform/auth/passwords'
import type { TokenSigner } from '../platform/auth/tokens'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import type { SignIn } from './me.schemas'

export interface MemberSignInDeps {
  pg: Postgres
  tokens: TokenSigner
  clock: () => Date
  config: Pick<ApiConfig, 'MEMBER_TOKEN_TTL_SECONDS' | 'SIGN_IN_MAX_FAILURES' | 'SIGN_IN_LOCKOUT_SECONDS'>
}

/** One answer for an unknown account, a blocked card and a wrong secret: none tells which. */
const NO_MATCH = 'the card number or e-mail and the PIN or password do not match an account that can sign in'

/** A locked account: 429 with Retry-After (seconds until the lock ends). */
export class SignInLockedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'sign_in_locked', `too many failed sign-ins: try again in ${retryAfterSeconds} s`)
  }
}

/**
 * A member signs in with a card number or e-mail and their PIN or password, and gets a
 * short-lived token. Unknown accounts cost the same scrypt verification as known ones. Each
 * attempt is counted before its secret is checked (claim-sign-in-attempt.sql), so after
 * SIGN_IN_MAX_FAILURES failures in a row the account is locked for SIGN_IN_LOCKOUT_SECONDS
 * however many guesses arrive at once; a right secret resets the count.
 */
export async function signInMember(deps: MemberSignInDeps, input: SignIn): Promise<{ token: string; expires_at: string }> {
  const secret = (input.pin ?? input.password)!
  const [account] =
    input.card_number !== undefined
      ? await deps.pg.query<{ id: string; secret_hash: string }>(sql('postgres/queries/me/find-sign-in-by-card'), [input.card_number])
      : await deps.pg.query<{ id: string; secret_hash: string }>(sql('postgres/queries/me/find-sign-in-by-email'), [input.email])
  if (!account) {
    await verifyAgainstNothing(secret)
    throw AppError.unauthorized(NO_MATCH)
  }
  const now = deps.clock()
  const [claimed] = await deps.pg.query(sql('postgres/queries/me/claim-sign-in-attempt'), [
    account.id,
    now,
    deps.config.SIGN_IN_MAX_FAILURES,
    deps.config.SIGN_IN_LOCKOUT_SECONDS,
  ])
  if (!claimed) throw new SignInLockedError(await secondsLocked(deps, account.id, now))
  if (!(await verifySecret(secret, account.secret_hash))) throw AppError.unauthorized(NO_MATCH)
  await deps.pg.query(sql('postgres/queries/me/reset-sign-in-failures'), [account.id])
  return deps.tokens.issue({ sub: account.id, kind: 'member' }, deps.config.MEMBER_TOKEN_TTL_SECONDS, now)
}

async function secondsLocked(deps: MemberSignInDeps, memberId: string, now: Date): Promise<number> {
  const [row] = await deps.pg.query<{ locked_until: Date | null }>(sql('postgres/queries/me/sign-in-locked-until'), [memberId])
  const until = row?.locked_until?.getTime() ?? now.getTime() + deps.config.SIGN_IN_LOCKOUT_SECONDS * 1000
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000))
}
