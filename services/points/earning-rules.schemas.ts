import { z } from 'zod'
import { decimalSchema } from '../platform/decimal.schema'
import { POINTS_SCALE, moneyString } from './decimal.schemas'

/** Public id of an earning rule; the breakdown names rules by it. */
export const RuleIdSchema = z.string().regex(/^rul_[A-Za-z0-9_]{1,60}$/, 'expected rul_ followed by letters, digits or _')
/** A tier's code as the tiers config names it ("gold"). */
export const TierCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'expected a lower-case code such as gold')

const name = z.string().trim().min(1).max(120)
const sku = z.string().regex(/^[A-Za-z0-9._:\/-]{1,64}$/, 'letters, digits and . _ : / - only, up to 64')
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR')
const instant = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 instant with offset' })
/** ×1 is allowed (a promotion paused by editing it); below 1 would take points away. */
const multiplier = decimalSchema(POINTS_SCALE.rate, { min: '1', max: '100' })

/**
 * When a rule is in force: the half-open interval [valid_from, valid_to), either end open.
 * Instants carry their offset, so "this weekend" is written in the store's local time.
 */
const windowFields = { valid_from: instant.optional(), valid_to: instant.optional() }
export type RuleWindow = { valid_from?: string | undefined; valid_to?: string | undefined }

/** What every rule has: an id the breakdown names it by, a name for people, its window. */
const ruleFields = { id: RuleIdSchema, name, ...windowFields }

/** Points per 1.00 of currency spent ("1" = 1 point per EUR); the base every line earns. */
export const BaseRateSchema = z.strictObject({
  ...ruleFields,
  currency,
  points_per_unit: decimalSchema(POINTS_SCALE.rate, { min: '0', max: '1000' }),
})
export type BaseRate = z.infer<typeof BaseRateSchema>

export const MultiplierScopeSchema = z.discriminatedUnion('type', [
  /** Matched case-insensitively: tills spell categories as they like ("Dairy", "DAIRY"). */
  z.strictObject({ type: z.literal('category'), category: z.string().trim().min(1).max(120) }),
  z.strictObject({ type: z.literal('skus'), skus: z.array(sku).min(1).max(1000) }),
])
export type MultiplierScope = z.infer<typeof MultiplierScopeSchema>

/** ×m on the lines in scope ("double points on dairy this weekend"), optionally for some tiers. */
export const MultiplierRuleSchema = z.strictObject({
  ...ruleFields,
  scope: MultiplierScopeSchema,
  multiplier,
  tiers: z.array(TierCodeSchema).min(1).optional(),
})
export type MultiplierRule = z.infer<typeof MultiplierRuleSchema>

/** ×m on every line for members of one tier ("gold earns ×1.5"). */
export const TierMultiplierSchema = z.strictObject({
  ...ruleFields,
  tier: TierCodeSchema,
  multiplier,
})
export type TierMultiplier = z.infer<typeof TierMultiplierSchema>

export const BonusConditionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sku'), sku }),
  /** Above zero, so a fully returned basket always falls below it (see reverse-return.ts). */
  z.strictObject({ type: z.literal('basket_total'), currency, min_total: moneyString({ min: '0', minExclusive: true }) }),
])
export type BonusCondition = z.infer<typeof BonusConditionSchema>

/** A fixed number of points once per basket that meets the condition. */
export const BonusRuleSchema = z.strictObject({
  ...ruleFields,
  points: z.number().int().min(1).max(1_000_000),
  condition: BonusConditionSchema,
  tiers: z.array(TierCodeSchema).min(1).optional(),
})
export type BonusRule = z.infer<typeof BonusRuleSchema>

/** The whole earning configuration, as staff edit it and as a swipe is scored against. */
export const EarningRulesSchema = z
  .strictObject({
    base_rates: z.array(BaseRateSchema).max(100),
    multipliers: z.array(MultiplierRuleSchema).max(1000).default([]),
    tier_multipliers: z.array(TierMultiplierSchema).max(100).default([]),
    bonuses: z.array(BonusRuleSchema).max(1000).default([]),
  })
  .superRefine((rules, ctx) => {
    const all = [...rules.base_rates, ...rules.multipliers, ...rules.tier_multipliers, ...rules.bonuses]
    for (const problem of [...windowProblems(rules), ...duplicateIds(all)]) ctx.addIssue({ code: 'custom', ...problem })
    // Two base rates (or two multipliers for one tier) in force at once would make a swipe's
    // points depend on list order; refuse the overlap instead of picking one.
    overlapping(rules.base_rates, (r) => r.currency, 'base_rates', 'base rate for', ctx)
    overlapping(rules.tier_multipliers, (r) => r.tier, 'tier_multipliers', 'tier multiplier for', ctx)
  })
export type EarningRules = z.infer<typeof EarningRulesSchema>

type Problem = { path: PropertyKey[]; message: string }

function windowProblems(rules: EarningRules): Problem[] {
  const lists = ['base_rates', 'multipliers', 'tier_multipliers', 'bonuses'] as const
  return lists.flatMap((list) =>
    (rules[list] as RuleWindow[]).flatMap((rule, i) => {
      const { from, to } = bounds(rule)
      return from < to ? [] : [{ path: [list, i, 'valid_to'], message: 'must be after valid_from' }]
    }),
  )
}

function duplicateIds(all: { id: string }[]): Problem[] {
  const seen = new Set<string>()
  const problems: Problem[] = []
  for (const rule of all) {
    if (seen.has(rule.id)) problems.push({ path: [], message: `rule id ${rule.id} is used more than once` })
    seen.add(rule.id)
  }
  return problems
}

function overlapping<T extends RuleWindow & { id: string }>(
  list: T[],
  key: (rule: T) => string,
  path: string,
  what: string,
  ctx: z.RefinementCtx,
): void {
  list.forEach((a, i) => {
    list.slice(0, i).forEach((b) => {
      if (key(a) !== key(b) || !windowsOverlap(a, b)) return
      ctx.addIssue({ code: 'custom', path: [path, i], message: `${a.id} and ${b.id} are both a ${what} ${key(a)} at the same time` })
    })
  })
}

/** A window as epoch milliseconds, open ends as ±Infinity. */
export function bounds(rule: RuleWindow): { from: number; to: number } {
  return {
    from: rule.valid_from === undefined ? -Infinity : Date.parse(rule.valid_from),
    to: rule.valid_to === undefined ? Infinity : Date.parse(rule.valid_to),
  }
}

function windowsOverlap(a: RuleWindow, b: RuleWindow): boolean {
  const x = bounds(a)
  const y = bounds(b)
  return x.from < y.to && y.from < x.to
}
