import crypto from 'node:crypto'
import type { ClickHouse } from '../platform/clickhouse'
import { copyToClickHouse } from '../platform/copy-to-clickhouse'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

/** A new snapshot id: random, so concurrent previews and launches never share a partition. */
export const newSnapshotId = (): number => crypto.randomInt(1, 2 ** 47)

/**
 * Copies one Postgres COPY (`copySql`, reading the set-snapshot.sql settings) into a ClickHouse
 * insert (`insertSql`), streamed (services/platform/copy-to-clickhouse.ts). Returns the rows copied.
 */
export function copyIntoClickHouse(
  pg: Postgres,
  ch: ClickHouse,
  statements: { copySql: string; insertSql: string },
  settings: { snapshotId: number; at: Date; campaignId: number },
): Promise<number> {
  return copyToClickHouse(pg, ch, {
    settings: { text: sql('postgres/queries/campaigns/set-snapshot'), values: [String(settings.snapshotId), settings.at.toISOString(), String(settings.campaignId)] },
    copy: statements.copySql,
    insert: statements.insertSql,
  })
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
