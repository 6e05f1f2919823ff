import crypto from 'node:crypto'
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { to as copyTo } from 'pg-copy-streams'
import type { ClickHouse } from '../platform/clickhouse'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

/** A new snapshot id: random, so concurrent previews and launches never share a partition. */
export const newSnapshotId = (): number => crypto.randomInt(1, 2 ** 47)

/**
 * Streams one Postgres COPY (`copySql`, reading the set-snapshot.sql settings) into a
 * ClickHouse insert (`insertSql`): Postgres's TabSeparated output is the insert's body as it
 * comes, so Node parses no rows (as services/analytics/card-map.ts). Returns the rows copied.
 */
export async function copyIntoClickHouse(
  pg: Postgres,
  ch: ClickHouse,
  statements: { copySql: string; insertSql: string },
  settings: { snapshotId: number; at: Date; campaignId: number },
): Promise<number> {
  const session = await pg.pool.connect()
  try {
    // One read-only transaction: the copy reads one snapshot, and the settings end with it.
    await session.query('BEGIN READ ONLY')
    await session.query(sql('postgres/queries/campaigns/set-snapshot'), [String(settings.snapshotId), settings.at.toISOString(), String(settings.campaignId)])
    const rows = session.query(copyTo(statements.copySql))
    const { stream } = await ch.client.exec({ query: statements.insertSql, values: Readable.from(rows, { objectMode: false }) })
    stream.resume()
    await finished(stream)
    await finished(rows)
    await session.query('COMMIT')
    return rows.rowCount
  } catch (error) {
    await session.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    session.release()
  }
}

/**
 * Runs `fn` with a fresh candidates snapshot (docs/campaigns.md "Who is eligible"): every
 * member's tier, consent to personalised offers and offers in the 30 days before `at`, copied
 * into campaign_candidates under a new snapshot id. The snapshot's partition is dropped after,
 * also when `fn` or the copy fails. `campaignId`'s own coupons do not count as recent offers.
 */
export async function withCandidates<T>(
  deps: { pg: Postgres; ch: ClickHouse },
  options: { at: Date; campaignId: number },
  fn: (snapshotId: number) => Promise<T>,
): Promise<T> {
  const snapshotId = newSnapshotId()
  try {
    await copyIntoClickHouse(
      deps.pg,
      deps.ch,
      { copySql: sql('postgres/queries/campaigns/candidates'), insertSql: sql('clickhouse/queries/campaigns/insert-candidates') },
      { snapshotId, ...options },
    )
    return await fn(snapshotId)
  } finally {
    await deps.ch.client.command({ query: sql('clickhouse/queries/campaigns/drop-candidates'), query_params: { snapshot_id: snapshotId } })
  }
}
