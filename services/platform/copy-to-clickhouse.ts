import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { to as copyTo } from 'pg-copy-streams'
import type { ClickHouse } from './clickhouse'
import type { Postgres } from './postgres'

/**
 * Streams one Postgres `COPY … TO STDOUT` into one ClickHouse insert: Postgres's TabSeparated
 * output is the insert's body as it comes, so Node passes bytes along and parses no rows, and a
 * million rows take about as long as the two databases need. The copy runs in one read-only
 * transaction, so it reads one snapshot; COPY takes no bind parameters, so `settings` (a
 * set_config statement with its bound values) passes them as transaction-local settings that
 * the COPY's SQL reads with current_setting. Returns the rows copied.
 */
export async function copyToClickHouse(
  pg: Postgres,
  ch: ClickHouse,
  statements: { settings: { text: string; values: string[] }; copy: string; insert: string },
): Promise<number> {
  const session = await pg.pool.connect()
  try {
    await session.query('BEGIN READ ONLY')
    await session.query(statements.settings.text, statements.settings.values)
    const rows = session.query(copyTo(statements.copy))
    const { stream } = await ch.client.exec({ query: statements.insert, values: Readable.from(rows, { objectMode: false }) })
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
