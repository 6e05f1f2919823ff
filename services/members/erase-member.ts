import { lockMembers } from './members.repo'
import crypto from 'node:crypto'
import { audit, type Actor } from '../platform/audit'
import type { ClickHouse } from '../platform/clickhouse'
import { AppError } from '../platform/http/errors'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { rewriteClickHouse } from './erase-clickhouse'
import { meRepo } from './me.repo'
import { erasureNeedles, redact } from './redact'

export interface EraseDeps {
  pg: Postgres
  ch: ClickHouse
  clock: () => Date
}

export interface Erasure {
  member_id: string
  pseudonym: string
  state: 'clickhouse_pending' | 'done'
  card_numbers: string[]
  reason: string
  requested_by: string | null
  requested_at: Date
  completed_at: Date | null
}

export interface EraseRequest {
  reason: string
  actor: Actor
  requestId?: string
  /** How long to wait for the shipper to mark a batch holding the member's swipes, in ms. */
  waitForShipperMs: number
}

/**
 * Erases a member's personal data (docs/privacy.md). Two phases, each safe to run again:
 * 1. one Postgres transaction: personal fields, consents, sign-in secret go; every card number
 *    becomes one pseudonym in cards, the journal, redemptions and the audit log; the erasure
 *    row keeps the old numbers for phase 2;
 * 2. ClickHouse: the member's rows are copied under the pseudonym and the originals deleted;
 *    then the erasure row forgets the old numbers and is done.
 * A run that stops after phase 1 leaves state 'clickhouse_pending'; running it again finishes.
 * Erasing an erased member changes nothing.
 */
export async function eraseMember(deps: EraseDeps, memberId: string, request: EraseRequest): Promise<Erasure> {
  const erasure = await deps.pg.transaction((tx) => erasePostgres(tx, deps.clock(), memberId, request))
  if (erasure.state === 'done') return erasure
  return rewriteClickHouse(deps, erasure, request.waitForShipperMs)
}

async function erasePostgres(tx: Tx, now: Date, memberId: string, request: EraseRequest): Promise<Erasure> {
  const [member] = await lockMembers(tx, [memberId])
  if (!member) throw AppError.notFound('no such member')
  const [started] = await tx.query<Erasure>(sql('postgres/queries/privacy/find-erasure'), [memberId])
  if (started) return started
  if (member.status === 'merged') throw AppError.conflict(`this member was merged into ${member.merged_into}: erase that member`)

  const family = await meRepo.family(tx, memberId)
  const people = await tx.query<{ name: string | null; email: string | null; phone: string | null; birthday: string | null; has_secret: boolean }>(
    sql('postgres/queries/privacy/export-members'),
    [family],
  )
  const cards = (await tx.query<{ card_number: string }>(sql('postgres/queries/privacy/family-cards'), [family])).map((c) => c.card_number)
  const pseudonym = `erased-${crypto.randomBytes(16).toString('hex')}`
  const [erasure] = await tx.query<Erasure>(sql('postgres/queries/privacy/insert-erasure'), [
    memberId,
    pseudonym,
    cards,
    request.reason,
    request.actor.id,
    now,
  ])
  await pseudonymizeCards(tx, cards, pseudonym, memberId, now)
  const personal = people.flatMap((p) => [p.email, p.phone, p.name])
  await redactAuditLog(tx, family, cards, erasureNeedles(cards, pseudonym, personal))
  await tx.query(sql('postgres/queries/privacy/erase-members'), [family, memberId, now])
  await tx.query(sql('postgres/queries/privacy/delete-consents'), [family])
  await audit(tx, {
    actor: request.actor,
    action: 'member.erase',
    entity: { type: 'member', id: memberId },
    // Which personal data there was, never what it was: this record must not keep it.
    before: {
      status: member.status,
      personal_data: (['name', 'email', 'phone', 'birthday'] as const).filter((f) => people.some((p) => p[f] !== null)),
      had_secret: people.some((p) => p.has_secret),
      cards: cards.length,
      merged_members: family.length - 1,
    },
    after: { status: 'erased', pseudonym, reason: request.reason },
    requestId: request.requestId,
  })
  return erasure!
}

/** Every card number of the member becomes the pseudonym: one card row, the journal, redemptions. */
async function pseudonymizeCards(tx: Tx, cards: string[], pseudonym: string, memberId: string, now: Date): Promise<void> {
  if (cards.length === 0) return
  await tx.query(sql('postgres/queries/privacy/insert-pseudonym-card'), [pseudonym, memberId, cards, now])
  await tx.query(sql('postgres/queries/privacy/repoint-replaced-cards'), [pseudonym, cards])
  await tx.query(sql('postgres/queries/privacy/delete-cards'), [cards])
  for (const card of cards) {
    await tx.query(sql('postgres/queries/privacy/pseudonymize-journal'), [card, pseudonym, card.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')])
  }
  await tx.query(sql('postgres/queries/privacy/pseudonymize-redemptions'), [pseudonym, cards])
}

/**
 * Audit entries keep what was done, not to whom: card numbers become the pseudonym and the
 * member's e-mail, phone and name go wherever they appear; entries about the member also lose
 * every personal field.
 */
async function redactAuditLog(tx: Tx, family: string[], cards: string[], needles: ReturnType<typeof erasureNeedles>): Promise<void> {
  const about = new Set([...family, ...cards])
  const rows = await tx.query<{ id: string; entity_id: string; before: unknown; after: unknown }>(sql('postgres/queries/privacy/audit-mentioning'), [
    family,
    cards,
    needles.map((n) => n.text.toLowerCase()),
  ])
  if (rows.length === 0) return
  const redacted = rows.map((r) => {
    const isAbout = about.has(r.entity_id)
    return {
      id: r.id,
      entity_id: redact(r.entity_id, needles, false),
      before: redact(r.before, needles, isAbout),
      after: redact(r.after, needles, isAbout),
    }
  })
  await tx.query(sql('postgres/queries/privacy/update-audit-entries'), [JSON.stringify(redacted)])
}
