import {
  bounds,
  type BaseRate,
  type BonusRule,
  type EarningRules,
  type MultiplierRule,
  type RuleWindow,
  type TierMultiplier,
} from './earning-rules.schemas'

/** The rules that apply to one purchase: its currency, its member's tier, its instant. */
export interface RulesInForce {
  /** Absent when the programme has no rate for this currency at that instant. */
  base: BaseRate | undefined
  multipliers: MultiplierRule[]
  tierMultiplier: TierMultiplier | undefined
  /** In force and open to the tier; whether the basket meets each condition is not checked here. */
  bonuses: BonusRule[]
}

/** Whether `at` falls in the rule's half-open window [valid_from, valid_to). */
export function inForce(rule: RuleWindow, at: Date): boolean {
  const { from, to } = bounds(rule)
  const t = at.getTime()
  return from <= t && t < to
}

const openTo = (rule: { tiers?: string[] | undefined }, tier: string | null) =>
  rule.tiers === undefined || (tier !== null && rule.tiers.includes(tier))

/**
 * Picks the rules in force at `at` (the purchase's instant, not the time it was posted) for
 * a purchase in `currency` by a member of `tier` (null: no tier yet).
 */
export function rulesInForce(rules: EarningRules, at: Date, currency: string, tier: string | null): RulesInForce {
  return {
    base: rules.base_rates.find((r) => r.currency === currency && inForce(r, at)),
    multipliers: rules.multipliers.filter((r) => inForce(r, at) && openTo(r, tier)),
    tierMultiplier: tier === null ? undefined : rules.tier_multipliers.find((r) => r.tier === tier && inForce(r, at)),
    bonuses: rules.bonuses.filter((r) => inForce(r, at) && openTo(r, tier)),
  }
}
