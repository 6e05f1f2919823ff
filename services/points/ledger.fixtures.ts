import type { Postgres } from '../platform/postgres'
import { book, lockAccounts } from './ledger'

/**
 * Books `points` for a member through the real ledger as if earned at `earnedAt` (so the lot
 * expires `expiryMonths` later); returns the lot id.
 */
export async function addLot(pg: Postgres, memberId: string, points: number, earnedAt: Date, expiryMonths = 24): Promise<string> {
  return pg.transaction(async (tx) => {
    const accounts = await lockAccounts(tx, [memberId])
    const [booked] = await book(
      tx,
      accounts,
      [{ memberId, kind: 'earn', points, reason: 'test earn', source: { type: 'system', id: 'test' }, occurredAt: earnedAt }],
      { expiryMonths },
    )
    return booked!.lotId!
  })
}

/** The member's lots, oldest id first, as [id, remaining]. */
export async function lotsOf(pg: Postgres, memberId: string): Promise<[string, number][]> {
  const rows = await pg.query<{ id: string; remaining: string }>('SELECT id::text, remaining FROM point_lots WHERE member_id = $1 ORDER BY point_lots.id', [memberId])
  return rows.map((r) => [r.id, Number(r.remaining)])
}

/** Runs `task` over `items` with at most `concurrency` in flight; results in input order. */
export async function mapConcurrently<T, R>(items: T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await task(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return results
}
