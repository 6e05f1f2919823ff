/**
 * The tier ladder as history: every change is a new version (tier_ladders), the newest is in
 * force from the next swipe and review. Reads for the staff API and the jobs; inserts.
 */
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { TiersSchema, type Tiers } from './tiers.schemas'

export interface TierLadderVersion {
  version: number
  created_at: string
  created_by: string | null
}
export interface TierLadder extends TierLadderVersion {
  tiers: Tiers
}

interface Row {
  version: number
  tiers: unknown
  created_at: Date
  created_by: string | null
}

const toLadder = (row: Row): TierLadder => ({
  version: row.version,
  created_at: row.created_at.toISOString(),
  created_by: row.created_by,
  tiers: TiersSchema.parse(row.tiers),
})

/** The ladder in force (the migration inserts a first version, so there always is one). */
export async function newestTierLadder(db: Postgres | Tx): Promise<TierLadder> {
  const [row] = await db.query<Row>(sql('postgres/queries/points/newest-tier-ladder'))
  return toLadder(row!)
}

/** Versions newest first, `limit` of them below `before` (keyset). */
export async function tierLadderVersions(db: Postgres | Tx, page: { before?: number; limit: number }): Promise<TierLadderVersion[]> {
  const rows = await db.query<Omit<Row, 'tiers'>>(sql('postgres/queries/points/tier-ladder-versions'), [page.before ?? null, page.limit])
  return rows.map((r) => ({ version: r.version, created_at: r.created_at.toISOString(), created_by: r.created_by }))
}

/** Takes the edit lock: until commit, no other transaction can add a version. */
export async function lockTierLadders(tx: Tx): Promise<void> {
  await tx.query(sql('postgres/queries/points/lock-tier-ladders'))
}

export async function insertTierLadder(tx: Tx, tiers: Tiers, at: Date, by: string | null): Promise<TierLadder> {
  const [row] = await tx.query<Row>(sql('postgres/queries/points/insert-tier-ladder'), [JSON.stringify(tiers), at, by])
  return toLadder(row!)
}
