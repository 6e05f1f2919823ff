/**
 * Tiers by rolling 12-month spend (net of returns, money as exact decimals). An upgrade takes
 * effect as soon as the spend supports it; a downgrade waits for the scheduled review and
 * then lands on the tier the spend supports (several steps down if need be, never lower).
 */
import { formatScaled } from '../platform/decimal'
import { POINTS_SCALE, unitsOf } from './decimal.schemas'
import type { Tier, Tiers } from './tiers.schemas'

export type TierChange =
  /** Spend supports a higher tier: moved up now. */
  | 'upgrade'
  /** At a review, spend supports a lower tier only: moved down to it. */
  | 'downgrade'
  /** Spend supports a lower tier, but downgrades wait for the review: kept. */
  | 'held'
  | 'unchanged'
  /** No current tier, or one no longer configured: placed by spend. */
  | 'assigned'

const cents = (money: string) => unitsOf(money, POINTS_SCALE.money)

/** The highest tier whose threshold `spend` reaches (the lowest tier for no or negative spend). */
export function tierForSpend(spend: string, tiers: Tiers): Tier {
  const index = tierIndex(cents(spend), tiers)
  return tiers[index]!
}

function tierIndex(spendCents: bigint, tiers: Tiers): number {
  let index = 0
  tiers.forEach((tier, i) => {
    if (spendCents >= cents(tier.min_spend)) index = i
  })
  return index
}

/**
 * The next tier up and what is still to spend to reach it, with whole-percent progress from
 * the current tier's threshold (rounded down, so 100 only once reached); null at the top.
 */
export function nextTier(spend: string, tiers: Tiers): { tier: Tier; needed: string; percent: number } | null {
  const s = cents(spend)
  const index = tierIndex(s, tiers)
  const next = tiers[index + 1]
  if (!next) return null
  const floor = cents(tiers[index]!.min_spend)
  const target = cents(next.min_spend)
  const done = s > floor ? s - floor : 0n
  return {
    tier: next,
    needed: formatScaled(target - s, POINTS_SCALE.money),
    percent: Number((done * 100n) / (target - floor)),
  }
}

/** The member's tier after a change in spend: up at once, down only when `downgradeAllowed`. */
export function evaluateTierChange(
  current: string | null,
  spend12m: string,
  opts: { tiers: Tiers; downgradeAllowed: boolean },
): { tier: Tier; change: TierChange } {
  const earned = tierIndex(cents(spend12m), opts.tiers)
  const held = current === null ? -1 : opts.tiers.findIndex((t) => t.code === current)
  if (held === -1) return { tier: opts.tiers[earned]!, change: 'assigned' }
  if (earned > held) return { tier: opts.tiers[earned]!, change: 'upgrade' }
  if (earned === held) return { tier: opts.tiers[held]!, change: 'unchanged' }
  return opts.downgradeAllowed
    ? { tier: opts.tiers[earned]!, change: 'downgrade' }
    : { tier: opts.tiers[held]!, change: 'held' }
}
