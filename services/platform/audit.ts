import type { Tx } from './postgres'
import { sql } from './sql-loader'

/** Who did something: a staff user, a member, a till (store key) or the platform itself. */
export interface Actor {
  type: 'staff' | 'member' | 'till' | 'system'
  id: string | null
}

export interface AuditEntry {
  actor: Actor
  /** `<area>.<verb>`: 'member.update', 'points.adjust', 'member.merge', 'rules.update', … */
  action: string
  entity: { type: string; id: string }
  before?: unknown
  after?: unknown
  requestId?: string
}

/**
 * Appends to the audit log. Call it inside the transaction that makes the change, so the
 * change and its record commit together or not at all.
 */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.query(
    sql('postgres/queries/audit/insert-audit'),
    [
      entry.actor.type,
      entry.actor.id,
      entry.action,
      entry.entity.type,
      entry.entity.id,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      entry.requestId ?? null,
    ],
  )
}
