import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { to as copyTo } from 'pg-copy-streams'
import type { ClickHouse } from '../platform/clickhouse'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

/**
 * Stage 3 of a launch: the campaign's coupons from Postgres into ClickHouse's coupon_events as
 * 'issued', for the report. Postgres's COPY output is the insert's body as it comes (as
 * card-map.ts does): Node parses no rows. The table collapses a re-copy on its key, so a
 * relaunch simply copies everything again. Returns the issued events ClickHouse now holds.
 */
export async function copyIssuedEvents(pg: Postgres, ch: ClickHouse, campaignId: number): Promise<{ copied: number; events: number }> {
  const session = await pg.pool.connect()
  let copied: number
  try {
    await session.query('BEGIN READ ONLY')
    await session.query(sql('postgres/queries/campaigns/set-campaign-id'), [String(campaignId)])
    const rows = session.query(copyTo(sql('postgres/queries/campaigns/issued-events')))
    const { stream } = await ch.client.exec({
      query: sql('clickhouse/queries/campaigns/insert-coupon-events'),
      values: Readable.from(rows, { objectMode: false }),
    })
    stream.resume()
    await finished(stream)
    await finished(rows)
    await session.query('COMMIT')
    copied = rows.rowCount
  } catch (error) {
    await session.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    session.release()
  }
  const result = await ch.client.query({ query: sql('clickhouse/queries/campaigns/count-issued-events'), query_params: { campaign_id: campaignId }, format: 'JSONEachRow' })
  const [row] = await result.json<{ events: string }>()
  return { copied, events: Number(row!.events) }
}
