import type { ClickHouse } from '../platform/clickhouse'
import { copyToClickHouse } from '../platform/copy-to-clickhouse'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'

/**
 * Stage 3 of a launch: the campaign's coupons from Postgres into ClickHouse's coupon_events as
 * 'issued', for the report, streamed without parsing a row in Node. The table collapses a
 * re-copy on its key, so a relaunch simply copies everything again. Returns the issued events ClickHouse now holds.
 */
export async function copyIssuedEvents(pg: Postgres, ch: ClickHouse, campaignId: number): Promise<{ copied: number; events: number }> {
  const copied = await copyToClickHouse(pg, ch, {
    settings: { text: sql('postgres/queries/campaigns/set-campaign-id'), values: [String(campaignId)] },
    copy: sql('postgres/queries/campaigns/issued-events'),
    insert: sql('clickhouse/queries/campaigns/insert-coupon-events'),
  })
  const result = await ch.client.query({ query: sql('clickhouse/queries/campaigns/count-issued-events'), query_params: { campaign_id: campaignId }, format: 'JSONEachRow' })
  const [row] = await result.json<{ events: string }>()
  return { copied, events: Number(row!.events) }
}
