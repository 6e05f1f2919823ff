import { z } from 'zod'
import type { Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

/** The channels a member gives or withdraws marketing consent for (keep in sync with member_consents.channel's CHECK, migration 0002). */
export const CONSENT_CHANNELS = ['email', 'sms', 'personalised_offers'] as const
export const ConsentChannelSchema = z.enum(CONSENT_CHANNELS)
export type ConsentChannel = z.infer<typeof ConsentChannelSchema>

/**
 * The members among `memberIds` who may be sent something on `channel` now: active members
 * whose current consent on it is granted. Everything that sends offers or messages must filter
 * its audience through this, in the transaction that records the sending, so a withdrawal
 * committed before it is always honoured (docs/privacy.md).
 */
export async function consentedMembers(tx: Tx, memberIds: readonly string[], channel: ConsentChannel): Promise<Set<string>> {
  if (memberIds.length === 0) return new Set()
  const rows = await tx.query<{ id: string }>(sql('postgres/queries/privacy/consented-members'), [[...new Set(memberIds)], channel])
  return new Set(rows.map((r) => r.id))
}
