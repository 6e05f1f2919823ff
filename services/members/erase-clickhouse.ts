import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from '../platform/sql-loader'
import type { EraseDeps, Erasure } from './erase-member'

const POLL_MS = 50

/**
 * Phase 2 of an erasure: ClickHouse forgets the old card numbers. card_number is in the
 * tables' ORDER BY key, so rows cannot be updated in place: each table gets a copy of the
 * member's rows under the pseudonym, then the originals are deleted by a mutation whose text
 * names only the pseudonym (copy-*.sql, delete-*.sql). Both steps skip what an earlier run
 * did, so a crash anywhere is repaired by running again.
 *
 * It waits for the shipper first: a batch claimed before phase 1 may have read the old text
 * and still insert the old numbers; once it is marked shipped, its rows are here to rewrite.
 * Rows not yet claimed were rewritten in the journal and arrive under the pseudonym.
 * Returns the erasure, 'done' or (the shipper did not finish in time, or another run holds
 * the lock) still 'clickhouse_pending'.
 */
export async function rewriteClickHouse(deps: EraseDeps, erasure: Erasure, waitForShipperMs: number): Promise<Erasure> {
  const session = await deps.pg.pool.connect()
  try {
    const { rows } = await session.query<{ locked: boolean }>(sql('postgres/queries/privacy/try-erasure-lock'), [erasure.member_id])
    if (!rows[0]?.locked) return erasure
    try {
      if (!(await shipperDone(deps, erasure.pseudonym, waitForShipperMs))) return erasure
      await copyThenDelete(deps, erasure)
      const [done] = await deps.pg.query<Erasure>(sql('postgres/queries/privacy/finish-erasure'), [erasure.member_id, deps.clock()])
      return done!
    } finally {
      await session.query(sql('postgres/queries/privacy/release-erasure-lock'), [erasure.member_id])
    }
  } finally {
    session.release()
  }
}

/** True once no batch claimed but unmarked holds the member's journal rows (polls up to waitMs). */
async function shipperDone(deps: EraseDeps, pseudonym: string, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const [row] = await deps.pg.query<{ pending: boolean }>(sql('postgres/queries/privacy/in-unshipped-batch'), [pseudonym])
    if (!row!.pending) return true
    if (Date.now() >= deadline) return false
    await sleep(POLL_MS)
  }
}

async function copyThenDelete(deps: EraseDeps, erasure: Erasure): Promise<void> {
  if (erasure.card_numbers.length === 0) return
  const run = (name: string, query_params: Record<string, unknown>) =>
    deps.ch.client.command({ query: sql(`clickhouse/queries/privacy/${name}`), query_params })
  const copy = { cards: erasure.card_numbers, pseudonym: erasure.pseudonym }
  // Lines first, as the shipper does: a swipe visible under the pseudonym has its lines.
  await run('copy-lines-to-pseudonym', copy)
  await run('copy-swipes-to-pseudonym', copy)
  await run('delete-swipe-originals', { pseudonym: erasure.pseudonym })
  await run('delete-line-originals', { pseudonym: erasure.pseudonym })
  const result = await deps.ch.client.query({
    query: sql('clickhouse/queries/privacy/count-card-rows'),
    format: 'JSONEachRow',
    query_params: { cards: erasure.card_numbers },
  })
  const [left] = await result.json<{ swipes: string; lines: string }>()
  if (Number(left?.swipes) > 0 || Number(left?.lines) > 0) {
    // Should not happen (the shipper was waited for); the erasure stays pending for a re-run.
    throw new Error(`erasure of ${erasure.member_id}: ClickHouse still holds ${left!.swipes} swipes and ${left!.lines} lines of the old cards`)
  }
}
