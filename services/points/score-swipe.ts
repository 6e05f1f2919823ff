/**
 * Points for one sale, computed exactly in bigint; no floats touch money or points.
 *
 * Units: a line's amount A in cents (its net value, 2 dp), the base rate R in 10^-4 points
 * per 1.00, a multiplier M in 10^-4. The rules are those in force at the swipe's
 * occurred_at (a till posting days late gets the rules of the day of the purchase).
 *
 * 1. Base: the basket earns floor(Σ A·R / 10^6) points, shared out to lines by largest
 *    remainder (allocate.ts): each line gets floor(A·R / 10^6) or one more, and cheap lines
 *    add up (ten lines of 0.99 at 1 pt/EUR earn 9, not 0).
 * 2. Each product multiplier adds floor(Σ A·R·(M − 1) / 10^10) over the lines in its scope,
 *    shared out the same way and attributed to its rule. Multipliers are additive, never
 *    compounding: two rules ×2 and ×3 on one line give base × (1 + 1 + 2) = ×4.
 * 3. The member's tier multiplier likewise adds floor(Σ A·R·(M − 1) / 10^10) over every line,
 *    computed on the base, not on the promotions.
 * 4. Fixed bonuses are basket-level: attributed to no line, listed in `bonuses`.
 *
 * So Σ breakdown = total = Σ lines + Σ bonuses; every figure is a non-negative integer; a
 * line with amount 0 earns 0. A currency with no base rate in force earns nothing at all.
 */
import type { NormalizedLine, NormalizedSwipe } from '../ingest/swipe-rules'
import { allocate } from './allocate'
import { POINTS_SCALE, toPoints, unitsOf } from './decimal.schemas'
import type { BonusCondition, EarningRules, MultiplierScope } from './earning-rules.schemas'
import { rulesInForce } from './rules-in-force'

export interface ScoreContext {
  rules: EarningRules
  /** The member's tier code, or null before they have one. */
  tier: string | null
  /** Whose rules apply; defaults to the swipe's occurred_at, which is almost always right. */
  at?: Date
}

export interface LinePoints {
  line_no: number
  points: number
}

/** One rule's share of the total, for the receipt and the members' history. */
export interface BreakdownEntry {
  rule_id: string
  name: string
  points: number
}

/** A basket bonus as awarded; the condition is kept so a return can be judged against it later. */
export interface AwardedBonus extends BreakdownEntry {
  condition: BonusCondition
}

export interface SwipeScore {
  total: number
  /** Every line of the sale, in order, including those that earned 0. */
  lines: LinePoints[]
  bonuses: AwardedBonus[]
  /** Rules that earned something, in order: base, product multipliers, tier, bonuses. */
  breakdown: BreakdownEntry[]
}

interface Component {
  rule: { id: string; name: string }
  perLine: bigint[]
}

const ONE = 10n ** BigInt(POINTS_SCALE.rate)
/** A·R is in 10^-(2+4) points; A·R·(M − 1) in 10^-(2+4+4). */
const BASE_DENOMINATOR = 10n ** BigInt(POINTS_SCALE.money + POINTS_SCALE.rate)
const EXTRA_DENOMINATOR = BASE_DENOMINATOR * ONE

/** Scores a sale against the earning rules in force when it happened. */
export function scoreSwipe(swipe: NormalizedSwipe, ctx: ScoreContext): SwipeScore {
  if (swipe.kind !== 'sale') throw new Error('a return is reversed with reverseReturn, not scored')
  const at = ctx.at ?? new Date(swipe.occurred_at)
  const rules = rulesInForce(ctx.rules, at, swipe.currency, ctx.tier)
  if (rules.base === undefined) return nothingEarned(swipe)
  const rate = unitsOf(rules.base.points_per_unit, POINTS_SCALE.rate)
  const cents = swipe.lines.map((line) => unitsOf(line.amount, POINTS_SCALE.money))
  // A·R per line: the exact base, in 10^-6 points.
  const exact = cents.map((c) => c * rate)
  const components: Component[] = [{ rule: rules.base, perLine: allocate(exact, BASE_DENOMINATOR) }]
  for (const rule of rules.multipliers) {
    components.push(extra(rule, exact, rule.multiplier, (i) => inScope(rule.scope, swipe.lines[i]!)))
  }
  if (rules.tierMultiplier) components.push(extra(rules.tierMultiplier, exact, rules.tierMultiplier.multiplier, () => true))
  const basketCents = cents.reduce((a, b) => a + b, 0n)
  const bonuses: AwardedBonus[] = rules.bonuses
    .filter((b) => conditionMet(b.condition, swipe, basketCents))
    .map((b) => ({ rule_id: b.id, name: b.name, points: b.points, condition: b.condition }))
  return assemble(swipe, components, bonuses)
}

function extra(rule: Component['rule'], exact: bigint[], multiplier: string, applies: (i: number) => boolean): Component {
  const bonusPart = unitsOf(multiplier, POINTS_SCALE.rate) - ONE
  const numerators = exact.map((e, i) => (applies(i) ? e * bonusPart : 0n))
  return { rule, perLine: allocate(numerators, EXTRA_DENOMINATOR) }
}

function inScope(scope: MultiplierScope, line: NormalizedLine): boolean {
  if (scope.type === 'skus') return scope.skus.includes(line.sku)
  return line.category.trim().toLowerCase() === scope.category.trim().toLowerCase()
}

/** Whether the basket meets a bonus's condition; a total is compared in its own currency only. */
function conditionMet(condition: BonusCondition, swipe: NormalizedSwipe, basketCents: bigint): boolean {
  if (condition.type === 'sku') return swipe.lines.some((l) => l.sku === condition.sku)
  return condition.currency === swipe.currency && basketCents >= unitsOf(condition.min_total, POINTS_SCALE.money)
}

function assemble(swipe: NormalizedSwipe, components: Component[], bonuses: AwardedBonus[]): SwipeScore {
  const lines = swipe.lines.map((line, i) => ({
    line_no: line.line_no,
    points: toPoints(components.reduce((sum, c) => sum + c.perLine[i]!, 0n)),
  }))
  const breakdown = [
    ...components.map((c) => ({
      rule_id: c.rule.id,
      name: c.rule.name,
      points: toPoints(c.perLine.reduce((a, b) => a + b, 0n)),
    })),
    ...bonuses.map(({ rule_id, name, points }) => ({ rule_id, name, points })),
  ].filter((entry) => entry.points > 0)
  const total = toPoints(breakdown.reduce((sum, entry) => sum + BigInt(entry.points), 0n))
  return { total, lines, bonuses, breakdown }
}

function nothingEarned(swipe: NormalizedSwipe): SwipeScore {
  return { total: 0, lines: swipe.lines.map((l) => ({ line_no: l.line_no, points: 0 })), bonuses: [], breakdown: [] }
}
