import { audit } from '../platform/audit'
import { hashSecret } from '../platform/auth/passwords'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { assertStoreExists, auditSnapshot, emailTaken, lockMembers, notChangeable, requireMemberDetail, setConsents, type MemberDetail } from './members.repo'
import type { UpdateMember } from './members.schemas'
import { consentSource, type MemberContext } from './register-member'

/**
 * Staff change a registered member's profile, consents or PIN/password. Absent fields stay,
 * null clears an optional one. A consent change updates member_consents and appends a
 * consent event (time and 'staff:usr_…') only when the state really changes. One audited
 * transaction with the member before and after.
 */
export async function updateMember(pg: Postgres, memberId: string, change: UpdateMember, ctx: MemberContext): Promise<MemberDetail> {
  const secret = change.pin ?? change.password
  const secretHash = secret === undefined ? null : await hashSecret(secret)
  try {
    return await pg.transaction(async (tx) => {
      const [member] = await lockMembers(tx, [memberId])
      if (!member) throw AppError.notFound(`no member ${memberId}`)
      const refusal = notChangeable(member)
      if (refusal) throw refusal
      await assertStoreExists(tx, change.preferred_store_id, '$.preferred_store_id')
      const before = await requireMemberDetail(tx, memberId)
      const pick = <K extends 'email' | 'phone' | 'birthday' | 'preferred_store_id'>(key: K) => (change[key] === undefined ? member[key] : change[key])
      await tx.query(sql('postgres/queries/members/update-profile'), [
        memberId,
        change.name ?? member.name,
        pick('email'),
        pick('phone'),
        pick('birthday'),
        pick('preferred_store_id'),
        secretHash,
        ctx.now,
      ])
      await setConsents(tx, memberId, change.consents, ctx.now, consentSource(ctx.actor))
      const after = await requireMemberDetail(tx, memberId)
      await audit(tx, {
        actor: ctx.actor,
        action: 'member.update',
        entity: { type: 'member', id: memberId },
        before: auditSnapshot(before),
        after: { ...auditSnapshot(after), ...(secretHash ? { secret_changed: true } : {}) },
        requestId: ctx.requestId,
      })
      return after
    })
  } catch (error) {
    throw emailTaken(error) ?? error
  }
}
