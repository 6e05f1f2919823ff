/**
 * The tier review (the `review-tiers` job, quarterly by default): the one time downgrades
 * happen. Each account is placed on the tier its rolling 12-month net spend supports
 * (evaluateTierChange with downgrades allowed), and tier_floor is set to that tier for
 * everyone: until the next review a return can undo an upgrade, never go below the floor.
 * Upgrades normally happen at the swipe; one the review finds (a missed swipe-time check) is
 * recorded as an upgrade. Accounts go in batches, locked in member id order.
 */
import { formatScaled } from '../platform/decimal'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { POINTS_SCALE, unitsOf } from './decimal.schemas'
import { lockAccounts, saveAccounts, type Account } from './ledger'
import { evaluateTierChange, type TierChange } from './tiers'
import type { Tiers } from './tiers.schemas'
import { newestTierLadder } from './tiers.repo'

export interface ReviewProgress {
  accounts: number
  changed: { upgrade: number; downgrade: number; assigned: number }
  batches: number
}

export interface ReviewOptions {
  pg: Postgres
  /** The review's instant: spend is counted over the 12 months up to its UTC day. */
  now: Date
  batchSize?: number
  onProgress?: (progress: ReviewProgress) => void | Promise<void>
}

/** Reviews every account against the newest tier ladder; returns the counts. */
export async function reviewTiers(options: ReviewOptions): Promise<ReviewProgress> {
  const { tiers } = await newestTierLadder(options.pg)
  const progress: ReviewProgress = { accounts: 0, changed: { upgrade: 0, downgrade: 0, assigned: 0 }, batches: 0 }
  let after = ''
  for (;;) {
    const rows = await options.pg.query<{ member_id: string }>(sql('postgres/queries/points/review-accounts'), [after, options.batchSize ?? 500])
    if (rows.length === 0) return progress
    const memberIds = rows.map((r) => r.member_id)
    after = memberIds[memberIds.length - 1]!
    const changes = await options.pg.transaction((tx) => reviewBatch(tx, memberIds, tiers, options.now))
    for (const change of changes) progress.changed[change] += 1
    progress.accounts += memberIds.length
    progress.batches += 1
    await options.onProgress?.(structuredClone(progress))
  }
}

type Recorded = Extract<TierChange, 'upgrade' | 'downgrade' | 'assigned'>

async function reviewBatch(tx: Tx, memberIds: string[], tiers: Tiers, now: Date): Promise<Recorded[]> {
  const accounts = await lockAccounts(tx, memberIds)
  const spendRows = await tx.query<{ member_id: string; spend: string }>(sql('postgres/queries/points/review-spend'), [memberIds, now])
  const spendOf = new Map(spendRows.map((r) => [r.member_id, r.spend]))
  const save: Account[] = []
  const rows: object[] = []
  const recorded: Recorded[] = []
  for (const account of accounts.values()) {
    // Exact: the numeric sum's text, re-formatted to 2 places ("1500" → "1500.00").
    const spend = formatScaled(unitsOf(spendOf.get(account.memberId) ?? '0', POINTS_SCALE.money), POINTS_SCALE.money)
    const { tier, change } = evaluateTierChange(account.tier, spend, { tiers, downgradeAllowed: true })
    const moved = change === 'upgrade' || change === 'downgrade' || change === 'assigned'
    if (!moved && account.tierFloor === tier.code) continue
    if (moved) {
      rows.push({ member_id: account.memberId, from_tier: account.tier, to_tier: tier.code, change, spend_12m: spend, at: now.toISOString() })
      recorded.push(change)
      account.tierSince = now
    }
    account.tier = tier.code
    account.tierFloor = tier.code
    save.push(account)
  }
  await saveAccounts(tx, save)
  if (rows.length) await tx.query(sql('postgres/queries/points/record-tier-changes'), [JSON.stringify(rows)])
  return recorded
}
