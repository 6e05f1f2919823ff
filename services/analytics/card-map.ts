import type { ClickHouse } from '../platform/clickhouse'
import { copyToClickHouse } from '../platform/copy-to-clickhouse'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

/**
 * Step 1 of a run (docs/segments.md "A run"): copies which member holds each card from Postgres
 * into ClickHouse's card_members under the run's id, streamed without parsing a row in Node.
 * Returns the cards copied.
 */
export async function copyCardMap(pg: Postgres, ch: ClickHouse, runId: number): Promise<number> {
  return copyToClickHouse(pg, ch, {
    settings: { text: sql('postgres/queries/analytics/set-run-id'), values: [String(runId)] },
    copy: sql('postgres/queries/analytics/card-map'),
    insert: sql('clickhouse/queries/analytics/insert-card-map'),
  })
}
