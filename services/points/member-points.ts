/**
 * Staff views of one member's points: the ledger, newest first, and what expires soon.
 * (The member's own views are the members area's.)
 */
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { expiringSoon } from './lots'

export interface LedgerEntry {
  id: string
  kind: string
  points: number
  balance_after: number
  reason: string
  source_type: string
  source_id: string | null
  store_id: string | null
  txn_id: string | null
  occurred_at: string
  booked_at: string
  detail: unknown
}

interface EntryRow extends Omit<LedgerEntry, 'points' | 'balance_after' | 'occurred_at' | 'booked_at'> {
  points: string
  balance_after: string
  occurred_at: Date
  booked_at: Date
}

async function assertMember(pg: Postgres, memberId: string): Promise<void> {
  const [member] = await pg.query(sql('postgres/queries/points/find-member-status'), [memberId])
  if (!member) throw AppError.notFound(`no member ${memberId}`)
}

/** A page of the ledger below `before` (an entry id); next_before pages on, null at the end. */
export async function memberLedger(
  pg: Postgres,
  memberId: string,
  page: { before?: string; limit: number },
): Promise<{ member_id: string; entries: LedgerEntry[]; next_before: string | null }> {
  await assertMember(pg, memberId)
  // One more than asked tells whether another page exists.
  const rows = await pg.query<EntryRow>(sql('postgres/queries/points/member-ledger'), [memberId, page.before ?? null, page.limit + 1])
  const entries = rows.slice(0, page.limit).map((r) => ({
    ...r,
    points: Number(r.points),
    balance_after: Number(r.balance_after),
    occurred_at: r.occurred_at.toISOString(),
    booked_at: r.booked_at.toISOString(),
  }))
  return { member_id: memberId, entries, next_before: rows.length > page.limit ? entries.at(-1)!.id : null }
}

/** Points expiring after `now` and within `days` days, per expiry instant, soonest first. */
export async function memberExpiring(pg: Postgres, memberId: string, now: Date, days: number) {
  await assertMember(pg, memberId)
  // open-lots.sql is the ledger's own read of a member's lots with points left.
  const rows = await pg.query<{ id: string; earned_at: Date; expires_at: Date; remaining: string }>(sql('postgres/queries/points/open-lots'), [
    [memberId],
    [],
  ])
  const lots = rows.map((r) => ({ id: r.id, earned_at: r.earned_at.toISOString(), expires_at: r.expires_at.toISOString(), remaining: Number(r.remaining) }))
  const soon = expiringSoon(lots, now, days)
  const byInstant = new Map<string, number>()
  for (const lot of soon.lots) byInstant.set(lot.expires_at, (byInstant.get(lot.expires_at) ?? 0) + lot.points)
  return {
    member_id: memberId,
    as_of: now.toISOString(),
    days,
    total: soon.total,
    expiring: [...byInstant].map(([expires_at, points]) => ({ expires_at, points })),
  }
}
