/**
 * The expiry sweep (the daily `expire-points` job): every lot with points left whose
 * expires_at has passed is drawn to zero by an 'expire' entry naming exactly those lots, so
 * the ledger's invariant (balance = Σ entries, Σ lots = max(balance, 0)) holds after it.
 * One entry per member and expiry instant, dated at that instant, so breakage counts in the
 * month the points actually expired even when a run was missed. Members go in batches, each
 * batch one transaction with the accounts locked in member id order (as every writer does).
 * Re-running books nothing: the lots it drew have nothing left.
 */
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { book, lockAccounts, type Account, type Posting } from './ledger'

/** The source id the expiry entries carry (source type 'system'). */
export const EXPIRE_POINTS_SOURCE = 'expire-points'

export interface ExpireProgress {
  members: number
  entries: number
  points: number
  batches: number
}

export interface ExpireOptions {
  pg: Postgres
  /** Lots with expires_at ≤ now expire. */
  now: Date
  /** Members per transaction. */
  batchSize: number
  /** Passed to the ledger, which needs it only to open lots (expiry opens none). */
  expiryMonths?: number
  onProgress?: (progress: ExpireProgress) => void | Promise<void>
}

/** Expires every lot due by `now`; returns what it booked. */
export async function expirePoints(options: ExpireOptions): Promise<ExpireProgress> {
  const progress: ExpireProgress = { members: 0, entries: 0, points: 0, batches: 0 }
  let after = ''
  for (;;) {
    const rows = await options.pg.query<{ member_id: string }>(sql('postgres/queries/points/expired-lot-members'), [
      options.now,
      after,
      options.batchSize,
    ])
    if (rows.length === 0) return progress
    const memberIds = rows.map((r) => r.member_id)
    after = memberIds[memberIds.length - 1]!
    const booked = await options.pg.transaction((tx) => expireBatch(tx, memberIds, options))
    progress.members += booked.members
    progress.entries += booked.entries
    progress.points += booked.points
    progress.batches += 1
    await options.onProgress?.({ ...progress })
  }
}

async function expireBatch(tx: Tx, memberIds: string[], options: ExpireOptions): Promise<Omit<ExpireProgress, 'batches'>> {
  const accounts = await lockAccounts(tx, memberIds)
  const list = await bookExpiredLots(tx, accounts, memberIds, options.now, { expiryMonths: options.expiryMonths ?? 24 })
  return {
    members: new Set(list.map((p) => p.memberId)).size,
    entries: list.length,
    points: -list.reduce((sum, p) => sum + p.points, 0),
  }
}

/**
 * Books the expiry of these members' lots due by `now`; their accounts must be locked (the
 * lots are read under the locks, so a redemption that committed meanwhile has drawn its
 * share). By default one entry per member and expiry instant, dated at that instant, from the
 * sweep; a caller expiring points as a consequence of its own change (a cancelled redemption
 * restoring into lots that have expired) passes its own source and date, and in `onlyLots`
 * the most it may expire of each lot (what it put back): the rest waits for the sweep.
 */
export async function bookExpiredLots(
  tx: Tx,
  accounts: Map<string, Account>,
  memberIds: string[],
  now: Date,
  options: { expiryMonths: number; source?: Posting['source']; reason?: string; occurredAt?: Date; onlyLots?: Map<string, number> },
): Promise<Posting[]> {
  const due = await tx.query<{ id: string; member_id: string; remaining: string; expires_at: Date }>(
    sql('postgres/queries/points/expired-lots'),
    [memberIds, now],
  )
  const only = options.onlyLots
  const lots = due
    .map((lot) => ({ ...lot, points: Math.min(Number(lot.remaining), only ? (only.get(lot.id) ?? 0) : Infinity) }))
    .filter((lot) => lot.points > 0)
  const postings = new Map<string, Posting & { draws: { lotId: string; points: number }[] }>()
  for (const lot of lots) {
    const occurredAt = options.occurredAt ?? lot.expires_at
    const key = `${lot.member_id} ${occurredAt.toISOString()}`
    let posting = postings.get(key)
    if (!posting) {
      posting = {
        memberId: lot.member_id,
        kind: 'expire',
        points: 0,
        reason: options.reason ?? 'points expired',
        source: options.source ?? { type: 'system', id: EXPIRE_POINTS_SOURCE },
        occurredAt,
        draws: [],
      }
      postings.set(key, posting)
    }
    posting.points -= lot.points
    posting.draws.push({ lotId: lot.id, points: lot.points })
  }
  const list = [...postings.values()]
  await book(tx, accounts, list, { expiryMonths: options.expiryMonths })
  return list
}
