import { memberGone } from '../platform/auth/auth.middleware'
import { audit, type Actor } from '../platform/audit'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import type { ConsentsPatch } from './me.schemas'
import { meRepo } from './me.repo'
import { lockMembers } from './members.repo'

/**
 * A member gives or withdraws consent per channel. Each change updates member_consents, appends
 * a consent event and an audit entry, in one transaction; a channel already in the asked state
 * is left alone. Returns every channel's state after.
 */
export async function updateConsents(
  deps: { pg: Postgres; clock: () => Date },
  memberId: string,
  patch: ConsentsPatch,
  by: { actor: Actor; source: string; requestId?: string },
) {
  const wanted = Object.entries(patch)
    .filter(([, granted]) => granted !== undefined)
    .map(([channel, granted]) => ({ channel, granted }))
  return deps.pg.transaction(async (tx) => {
    // Status re-checked under the lock: a merge or erasure committed since the sign-in check
    // must not get consents written back onto the member it just closed.
    const [member] = await lockMembers(tx, [memberId])
    if (!member) throw AppError.notFound('no such member')
    if (member.status !== 'active') throw memberGone()
    const changes = await tx.query<{ channel: string; granted: boolean; was: boolean | null }>(sql('postgres/queries/me/change-consents'), [
      memberId,
      JSON.stringify(wanted),
      by.source,
      deps.clock(),
    ])
    if (changes.length > 0) {
      await audit(tx, {
        actor: by.actor,
        action: 'member.consents',
        entity: { type: 'member', id: memberId },
        before: Object.fromEntries(changes.map((c) => [c.channel, c.was])),
        after: Object.fromEntries(changes.map((c) => [c.channel, c.granted])),
        requestId: by.requestId,
      })
    }
    return meRepo.consents(tx, memberId)
  })
}
