import type { ClickHouse } from '../platform/clickhouse'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { audienceRuns, audienceStatement } from './audience'
import { copyIntoClickHouse, newSnapshotId, withCandidates } from './candidates'
import type { Campaign } from './campaigns.repo'

export interface Assignment {
  treated: number
  holdout: number
  profileRunId: number
  rfmRunId: number | null
  clvRunId: number | null
}

const command = (ch: ClickHouse, file: string, params: Record<string, unknown>) =>
  ch.client.command({ query: sql(`clickhouse/queries/campaigns/${file}`), query_params: params })

/**
 * The launch's assignment step (docs/campaigns.md "Who is eligible"): writes every eligible
 * member of the campaign to campaign_assignments (treated or holdout, category, expected
 * discount) in one INSERT … SELECT over a fresh candidates snapshot, and the cards those
 * members hold now to campaign_cards. Any earlier assignment of the campaign (a launch that
 * crashed) is deleted first, so running it again redoes it; the split is by hash, so it comes
 * out the same. Leaves the campaign row alone: the launch job records the result.
 */
export async function assignAudience(deps: { pg: Postgres; ch: ClickHouse; clock?: () => Date }, campaign: Campaign): Promise<Assignment> {
  const { pg, ch } = deps
  const at = deps.clock?.() ?? new Date()
  const runs = await audienceRuns(pg, campaign)
  await command(ch, 'delete-assignments', { campaign_id: campaign.id })
  await command(ch, 'delete-cards', { campaign_id: campaign.id })
  await withCandidates(deps, { at, campaignId: campaign.id }, async (snapshotId) => {
    const insert = audienceStatement(sql('clickhouse/queries/campaigns/insert-assignments'), campaign, runs, snapshotId)
    await ch.client.command({ query: insert.query, query_params: insert.params })
  })
  await copyCards(pg, ch, campaign.id, at)
  const counts = await ch.client.query({
    query: sql('clickhouse/queries/campaigns/count-assignments'),
    query_params: { campaign_id: campaign.id },
    format: 'JSONEachRow',
  })
  const [row] = await counts.json<{ treated: string; holdout: string }>()
  return {
    treated: Number(row?.treated ?? 0),
    holdout: Number(row?.holdout ?? 0),
    profileRunId: runs.profiles.id,
    rfmRunId: runs.rfm?.id ?? null,
    clvRunId: runs.clv?.id ?? null,
  }
}

/** Every card's holder copied into a staging partition, the assigned members' kept in campaign_cards, the partition dropped. */
async function copyCards(pg: Postgres, ch: ClickHouse, campaignId: number, at: Date): Promise<void> {
  const snapshotId = newSnapshotId()
  try {
    await copyIntoClickHouse(
      pg,
      ch,
      { copySql: sql('postgres/queries/campaigns/card-map'), insertSql: sql('clickhouse/queries/campaigns/insert-card-map') },
      { snapshotId, at, campaignId },
    )
    await command(ch, 'insert-cards', { campaign_id: campaignId, snapshot_id: snapshotId })
  } finally {
    await command(ch, 'drop-card-map', { snapshot_id: snapshotId })
  }
}
