import type { StaffRole } from '../platform/auth/auth.middleware'
import { verifyAgainstNothing, verifySecret } from '../platform/auth/passwords'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

export interface StaffSignInDeps {
  pg: Postgres
  clock: () => Date
  maxFailures: number
  lockoutSeconds: number
}

export type StaffSignInResult =
  | { outcome: 'signed_in'; user: { id: string; email: string; name: string; roles: StaffRole[] } }
  /** Unknown e-mail, disabled account or wrong password: one answer for all three. */
  | { outcome: 'invalid' }
  | { outcome: 'locked'; retryAfterSeconds: number }

interface SignInRow {
  id: string
  email: string
  name: string
  roles: StaffRole[]
  password_hash: string
  disabled_at: Date | null
}

/**
 * Checks a staff user's e-mail and password. An unknown or disabled account costs the same
 * scrypt work as a real check, so timing does not tell which e-mails exist. Each attempt is
 * counted before its password is checked (claim-sign-in-attempt.sql, the same rule as members),
 * so SIGN_IN_MAX_FAILURES wrong passwords in a row lock the account for SIGN_IN_LOCKOUT_SECONDS
 * however many guesses arrive at once (even the right password is refused meanwhile, or the
 * lock would not slow a guesser); a success resets the count.
 */
export async function signInStaff(deps: StaffSignInDeps, email: string, password: string): Promise<StaffSignInResult> {
  const [user] = await deps.pg.query<SignInRow>(sql('postgres/queries/staff/find-staff-by-email'), [email])
  if (!user || user.disabled_at) {
    await verifyAgainstNothing(password)
    return { outcome: 'invalid' }
  }
  const now = deps.clock()
  const [claimed] = await deps.pg.query<{ locked_until: Date | null }>(sql('postgres/queries/staff/claim-sign-in-attempt'), [
    user.id,
    now,
    deps.maxFailures,
    deps.lockoutSeconds,
  ])
  if (!claimed) return locked(await lockedUntil(deps, user.id, now), now)
  if (!(await verifySecret(password, user.password_hash))) {
    // The failure that reached the limit says so at once, rather than on the next try.
    if (claimed.locked_until && claimed.locked_until > now) return locked(claimed.locked_until, now)
    return { outcome: 'invalid' }
  }
  await deps.pg.query(sql('postgres/queries/staff/record-sign-in'), [user.id])
  return { outcome: 'signed_in', user: { id: user.id, email: user.email, name: user.name, roles: user.roles } }
}

async function lockedUntil(deps: StaffSignInDeps, userId: string, now: Date): Promise<Date> {
  const [row] = await deps.pg.query<{ locked_until: Date | null }>(sql('postgres/queries/staff/sign-in-locked-until'), [userId])
  return row?.locked_until ?? new Date(now.getTime() + deps.lockoutSeconds * 1000)
}

const locked = (until: Date, now: Date): StaffSignInResult => ({
  outcome: 'locked',
  retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
})
