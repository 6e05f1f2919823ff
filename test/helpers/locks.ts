import type { Postgres } from '../../services/platform/postgres'

/**
 * Waits until at least `n` sessions of this test's database wait on a lock, so a race test can
 * hold a row and know its competitors are queued behind it (20 ms polls, 10 s at most).
 */
export async function lockWaiters(pg: Postgres, n = 1): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [row] = await pg.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    if (row!.n >= n) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`fewer than ${n} sessions waiting on a lock after 10 s`)
}
