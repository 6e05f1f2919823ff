import type { Postgres } from '../platform/postgres'
import { expiringSoon } from '../points/lots'
import { nextTier } from '../points/tiers'
import { meRepo } from './me.repo'

/** The windows, in days from now, for which members see how many points expire. */
export const EXPIRY_WINDOWS_DAYS = [30, 60, 90] as const
const DAY_MS = 86_400_000

/**
 * GET /v1/me/balance (null unless the member is active): the balance, the tier and the way to the next one (by rolling 12-month
 * spend against the ladder in force), and the points that expire within 30, 60 and 90 days
 * (each window counts from now, so 60 includes 30).
 */
export async function memberBalance(deps: { pg: Postgres; clock: () => Date }, memberId: string) {
  const now = deps.clock()
  const today = now.toISOString().slice(0, 10)
  const last = Math.max(...EXPIRY_WINDOWS_DAYS)
  const account = await meRepo.balance(deps.pg, memberId, today, now, new Date(now.getTime() + last * DAY_MS))
  if (!account) return null
  const { spend12m: spend, lots } = account
  const ladder = await meRepo.tierLadder(deps.pg, account.tiersVersion)
  const current = ladder.find((t) => t.code === account.tier)
  const next = nextTier(spend, ladder)
  return {
    balance: account.balance,
    tier: account.tier === null ? null : { code: account.tier, name: current?.name ?? account.tier, since: account.tier_since },
    tier_progress: {
      spend_12m: spend,
      next_tier: next && { code: next.tier.code, name: next.tier.name, min_spend: next.tier.min_spend },
      needed: next?.needed ?? null,
      percent: next?.percent ?? null,
    },
    expiring: EXPIRY_WINDOWS_DAYS.map((days) => {
      const soon = expiringSoon(lots, now, days)
      return { within_days: days, points: soon.total, next_expiry: soon.lots[0]?.expires_at ?? null }
    }),
  }
}
