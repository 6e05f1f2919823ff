/**
 * The points liability report (GET /v1/points/liability) for finance: what members hold,
 * when it will expire, and what has expired (breakage). All figures are whole points; months
 * are UTC calendar months named YYYY-MM, and a lot expiring at midnight UTC that starts a
 * month counts in that month (it could be used until the end of the day before).
 */
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

export interface LiabilityReport {
  as_of: string
  /** Σ of positive balances: what members could spend if nothing expired. */
  outstanding_points: number
  members_with_points: number
  /** Σ of negative balances, as a positive figure (returns of points already spent). */
  debt_points: number
  /** Σ lots' remaining; equals outstanding_points while the ledger's invariant holds. */
  lots_remaining: number
  /** Part of lots_remaining already expired, waiting for the next expiry run. */
  expired_unswept: number
  /** Points expiring per future month, from this month, at least 12 months, no gaps. */
  expiry_by_month: { month: string; points: number }[]
  /** Points expired per past month, the last `months` months up to this one, no gaps. */
  breakage_by_month: { month: string; points: number }[]
}

/** The report as of `now`, with `months` months of breakage. */
export async function liabilityReport(pg: Postgres, now: Date, months: number): Promise<LiabilityReport> {
  const thisMonth = monthStart(now, 0)
  // One snapshot, so the totals and the months agree even while points move.
  const { totals, expiry, breakage } = await pg.transaction(async (tx) => {
    await tx.query(sql('postgres/queries/points/snapshot-read'))
    const [totals] = await tx.query<Record<'balances' | 'members_with_points' | 'debt' | 'lots_usable' | 'lots_expired_unswept', string>>(
      sql('postgres/queries/points/liability-totals'),
      [now],
    )
    const expiry = await tx.query<MonthRow>(sql('postgres/queries/points/liability-expiry-by-month'), [now])
    const breakage = await tx.query<MonthRow>(sql('postgres/queries/points/liability-breakage-by-month'), [
      monthStart(now, -(months - 1)),
      monthStart(now, 1),
    ])
    return { totals, expiry, breakage }
  })
  const lastExpiry = expiry.at(-1)?.month
  const expiryMonths = Math.max(12, lastExpiry ? monthsBetween(label(thisMonth), lastExpiry) + 1 : 0)
  return {
    as_of: now.toISOString(),
    outstanding_points: Number(totals!.balances),
    members_with_points: Number(totals!.members_with_points),
    debt_points: Number(totals!.debt),
    lots_remaining: Number(totals!.lots_usable) + Number(totals!.lots_expired_unswept),
    expired_unswept: Number(totals!.lots_expired_unswept),
    expiry_by_month: fill(expiry, now, 0, expiryMonths),
    breakage_by_month: fill(breakage, now, -(months - 1), months),
  }
}

type MonthRow = { month: string; points: string }

/** `count` consecutive months from `now`'s month + `offset`, zero where the query had no row. */
function fill(rows: MonthRow[], now: Date, offset: number, count: number) {
  const byMonth = new Map(rows.map((r) => [r.month, Number(r.points)]))
  return Array.from({ length: count }, (_, i) => {
    const month = label(monthStart(now, offset + i))
    return { month, points: byMonth.get(month) ?? 0 }
  })
}

/** Midnight UTC on the first day of `now`'s month moved by `offset` months. */
function monthStart(now: Date, offset: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1))
}

const label = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number)
  const [ty, tm] = to.split('-').map(Number)
  return (ty! - fy!) * 12 + (tm! - fm!)
}
