import crypto from 'node:crypto'
import { audit, type Actor } from '../platform/audit'
import type { StaffRole } from '../platform/auth/auth.middleware'
import { hashSecret } from '../platform/auth/passwords'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import type { CreateStaffUser, UpdateStaffUser } from './staff.schemas'

/** A staff user as the API shows it (never the password hash). */
export interface StaffUserView {
  id: string
  email: string
  name: string
  roles: StaffRole[]
  created_at: string
  disabled_at: string | null
  /** Set while sign-in is locked after too many wrong passwords. */
  locked_until: string | null
}

interface StaffRow {
  id: string
  email: string
  name: string
  roles: StaffRole[]
  created_at: Date
  disabled_at: Date | null
  locked_until: Date | null
}

const view = (row: StaffRow): StaffUserView => ({
  id: row.id,
  email: row.email,
  name: row.name,
  roles: row.roles,
  created_at: row.created_at.toISOString(),
  disabled_at: row.disabled_at?.toISOString() ?? null,
  locked_until: row.locked_until?.toISOString() ?? null,
})

export interface StaffContext {
  actor: Actor
  requestId?: string
  now: Date
}

/** A new staff user id: usr_ and 128 random bits. */
export const newStaffId = () => `usr_${crypto.randomBytes(16).toString('hex')}`

/** A password for the CLI to print once: 144 random bits, base64url. */
export const generatePassword = () => crypto.randomBytes(18).toString('base64url')

/** Creates a staff user (API and admin CLI); 409 if the e-mail is taken. Audited. */
export async function createStaffUser(pg: Postgres, input: CreateStaffUser, ctx: StaffContext): Promise<StaffUserView> {
  const hash = await hashSecret(input.password)
  try {
    return await pg.transaction(async (tx) => {
      const [row] = await tx.query<StaffRow>(sql('postgres/queries/staff/insert-staff-user'), [newStaffId(), input.email, input.name, hash, input.roles])
      const created = view(row!)
      await audit(tx, { actor: ctx.actor, action: 'staff.create', entity: { type: 'staff_user', id: created.id }, after: created, requestId: ctx.requestId })
      return created
    })
  } catch (error) {
    if ((error as { constraint?: string }).constraint === 'staff_users_email') {
      throw new AppError(409, 'conflict', 'a staff user with this e-mail exists', [{ path: '$.email', message: 'is taken' }])
    }
    throw error
  }
}

export async function listStaffUsers(pg: Postgres): Promise<StaffUserView[]> {
  return (await pg.query<StaffRow>(sql('postgres/queries/staff/list-staff-users'))).map(view)
}

/**
 * Changes a staff user's name, roles or enabled state. Refuses (409) a change that would leave
 * no enabled admin: nobody could then manage staff without the CLI. Audited with before/after.
 */
export async function updateStaffUser(pg: Postgres, userId: string, change: UpdateStaffUser, ctx: StaffContext): Promise<StaffUserView> {
  return pg.transaction(async (tx) => {
    const [row] = await tx.query<StaffRow>(sql('postgres/queries/staff/lock-staff-user'), [userId])
    if (!row) throw AppError.notFound(`no staff user ${userId}`)
    const roles = change.roles ?? row.roles
    // Disabling keeps the first time it was disabled; enabling clears it.
    const disabledAt = change.disabled === undefined ? row.disabled_at : change.disabled ? (row.disabled_at ?? ctx.now) : null
    const wasAdmin = row.roles.includes('admin') && !row.disabled_at
    const staysAdmin = roles.includes('admin') && !disabledAt
    if (wasAdmin && !staysAdmin) {
      const others = await tx.query(sql('postgres/queries/staff/lock-other-admins'), [userId])
      if (others.length === 0) throw AppError.conflict('this is the last enabled admin; make someone else admin first')
    }
    const [updated] = await tx.query<StaffRow>(sql('postgres/queries/staff/update-staff-user'), [userId, change.name ?? row.name, roles, disabledAt])
    const after = view(updated!)
    await audit(tx, { actor: ctx.actor, action: 'staff.update', entity: { type: 'staff_user', id: userId }, before: view(row), after, requestId: ctx.requestId })
    return after
  })
}

/** Sets a staff user's password by e-mail and lifts any lockout (admin CLI: a forgotten password). */
export async function setStaffPassword(pg: Postgres, email: string, password: string, ctx: StaffContext): Promise<StaffUserView | null> {
  const hash = await hashSecret(password)
  return pg.transaction(async (tx) => {
    const [row] = await tx.query<StaffRow>(sql('postgres/queries/staff/set-staff-password'), [email, hash])
    if (!row) return null
    const user = view(row)
    await audit(tx, { actor: ctx.actor, action: 'staff.set_password', entity: { type: 'staff_user', id: user.id }, requestId: ctx.requestId })
    return user
  })
}
