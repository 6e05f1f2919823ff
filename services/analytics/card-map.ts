import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { to as copyTo } from 'pg-copy-streams'
import type { ClickHouse } from '../platform/clickhouse'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

/**
 * Step 1 of a run (docs/segments.md "A run"): copies which member holds each card from Postgres
 * into ClickHouse's card_members under the run's id. Postgres's COPY output (TabSeparated text)
 * is the ClickHouse insert's body as it comes: Node passes bytes along and parses no rows, so a
 * million cards take about as long as the two databases need. Returns the cards copied.
 */
export async function copyCardMap(pg: Postgres, ch: ClickHouse, runId: number): Promise<number> {
  const session = await pg.pool.connect()
  try {
    // One transaction: the copy reads one snapshot, and the run id setting ends with it.
    await session.query('BEGIN READ ONLY')
    await session.query(sql('postgres/queries/analytics/set-run-id'), [String(runId)])
    const rows = session.query(copyTo(sql('postgres/queries/analytics/card-map')))
    const { stream } = await ch.client.exec({
      query: sql('clickhouse/queries/analytics/insert-card-map'),
      values: Readable.from(rows, { objectMode: false }),
    })
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
