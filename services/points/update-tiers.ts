/**
 * PUT /v1/tiers: a new version of the tier ladder. Upgrades follow it from the next swipe,
 * downgrades at the next review; a member holding a tier the ladder no longer has is placed
 * by spend when next evaluated (tiers.ts, 'assigned'). Audited in the same transaction.
 */
import { audit, type Actor } from '../platform/audit'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import type { Tiers } from './tiers.schemas'
import { insertTierLadder, lockTierLadders, newestTierLadder, type TierLadder } from './tiers.repo'

export interface UpdateTiersDeps {
  pg: Postgres
  clock: () => Date
}

/** Stores `tiers` as the next version unless it equals the newest; `expectedVersion` as If-Match. */
export async function updateTiers(
  deps: UpdateTiersDeps,
  tiers: Tiers,
  context: { actor: Actor; requestId?: string; expectedVersion?: number },
): Promise<{ ladder: TierLadder; created: boolean }> {
  return deps.pg.transaction(async (tx) => {
    await lockTierLadders(tx)
    const current = await newestTierLadder(tx)
    if (context.expectedVersion !== undefined && context.expectedVersion !== current.version) {
      throw new AppError(412, 'version_mismatch', `the tiers are at version ${current.version}, not ${context.expectedVersion}: reload and edit again`)
    }
    if (JSON.stringify(tiers) === JSON.stringify(current.tiers)) return { ladder: current, created: false }
    const ladder = await insertTierLadder(tx, tiers, deps.clock(), context.actor.id)
    await audit(tx, {
      actor: context.actor,
      action: 'tiers.update',
      entity: { type: 'tier_ladder', id: String(ladder.version) },
      before: { version: current.version, tiers: current.tiers },
      after: { version: ladder.version, tiers: ladder.tiers },
      requestId: context.requestId,
    })
    return { ladder, created: true }
  })
}
