import { audit, type Actor } from '../platform/audit'
import { hashSecret } from '../platform/auth/passwords'
import { AppError } from '../platform/http/errors'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { maskCardNumber } from '../ingest/card-number'
import {
  assertStoreExists,
  auditSnapshot,
  emailTaken,
  insertCard,
  lockCardAndMembers,
  requireMemberDetail,
  setConsents,
  type MemberDetail,
} from './members.repo'
import type { RegisterMember } from './members.schemas'

export interface MemberContext {
  actor: Actor
  requestId?: string
  now: Date
}

/** The consent source recorded for a change made by this actor. */
export const consentSource = (actor: Actor) => (actor.type === 'staff' ? `staff:${actor.id}` : actor.type)

/**
 * Registers a member at the service desk. With the card_number of an anonymous card, THAT
 * anonymous member becomes the registered one (same id: the card's points and history are
 * already theirs); with a new card number the card is created for them. A blocked card or one
 * held by a registered member is a 409. Consents given are recorded with their time and
 * source; the whole registration is one audited transaction.
 */
export async function registerMember(pg: Postgres, input: RegisterMember, ctx: MemberContext): Promise<MemberDetail> {
  const secret = input.pin ?? input.password
  const secretHash = secret === undefined ? null : await hashSecret(secret)
  const profile = [input.name, input.email ?? null, input.phone ?? null, input.birthday ?? null, input.preferred_store_id ?? null, secretHash]
  try {
    return await pg.transaction(async (tx) => {
      await assertStoreExists(tx, input.preferred_store_id, '$.preferred_store_id')
      const claimed = input.card_number ? await claimAnonymousCard(tx, input.card_number) : undefined
      const before = claimed ? auditSnapshot(await requireMemberDetail(tx, claimed)) : null
      let memberId: string
      if (claimed) {
        await tx.query(sql('postgres/queries/members/register-anonymous'), [claimed, ...profile, ctx.now])
        memberId = claimed
      } else {
        const [row] = await tx.query<{ id: string }>(sql('postgres/queries/members/insert-member'), [...profile, ctx.now])
        memberId = row!.id
        if (input.card_number && !(await insertCard(tx, input.card_number, memberId, ctx.now))) {
          throw AppError.conflict('a till recorded this card a moment ago; send the registration again')
        }
      }
      await setConsents(tx, memberId, input.consents, ctx.now, consentSource(ctx.actor))
      const after = await requireMemberDetail(tx, memberId)
      await audit(tx, {
        actor: ctx.actor,
        action: 'member.register',
        entity: { type: 'member', id: memberId },
        before,
        after: auditSnapshot(after),
        requestId: ctx.requestId,
      })
      return after
    })
  } catch (error) {
    throw emailTaken(error) ?? error
  }
}

/**
 * The anonymous member holding this card, locked, or undefined when the card is new. A
 * blocked card or a registered holder cannot be registered again (409).
 */
async function claimAnonymousCard(tx: Tx, cardNumber: string): Promise<string | undefined> {
  const { card } = await lockCardAndMembers(tx, cardNumber, [])
  if (!card) return undefined
  const masked = maskCardNumber(cardNumber)
  if (card.status === 'blocked') throw AppError.conflict(`card ${masked} is blocked and cannot be registered`)
  // Read under the member's lock: a concurrent registration of the same card has committed or not started.
  if (card.member_status !== 'anonymous') {
    throw AppError.conflict(`card ${masked} belongs to a registered member; attach another card or merge the members`)
  }
  return card.member_id
}
