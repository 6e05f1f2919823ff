/**
 * Earning rules are history (services/points/README.md): a late swipe is scored with the
 * rules in force at its occurred_at, so what was in force before now must stay as it was.
 * Comparing the newest version with a proposed one at `now`:
 * - a rule that started before now (valid_from < now, or none) keeps its list, its id and
 *   every field but valid_to; it cannot be deleted. valid_to may be set or moved, to now or
 *   later, while the rule is still running; once it has ended it is fixed.
 * - a new rule, or one not yet started, may be anything that starts at or after now. Without
 *   valid_from it starts now (filled in, so the stored version says when).
 */
import type { ProblemDetail } from '../platform/http/errors'
import { bounds, type EarningRules, type RuleWindow } from './earning-rules.schemas'

const LISTS = ['base_rates', 'multipliers', 'tier_multipliers', 'bonuses'] as const
type List = (typeof LISTS)[number]
type Rule = RuleWindow & { id: string } & Record<string, unknown>

interface Located {
  list: List
  index: number
  rule: Rule
}

/** The proposal with new rules' valid_from filled in, and every way it would rewrite history. */
export function checkRulesHistory(previous: EarningRules, proposed: EarningRules, now: Date): { rules: EarningRules; problems: ProblemDetail[] } {
  const at = now.getTime()
  const before = locate(previous)
  const after = locate(proposed)
  const problems: ProblemDetail[] = []
  const filled = structuredClone(proposed)
  for (const [id, next] of after) {
    const prev = before.get(id)
    if (prev && bounds(prev.rule).from < at) problems.push(...pastRuleProblems(prev, next, at))
    else {
      const problem = newRuleProblem(next, at)
      if (problem) problems.push(problem)
      else if (next.rule.valid_from === undefined) (filled[next.list][next.index] as RuleWindow).valid_from = now.toISOString()
    }
  }
  for (const [id, prev] of before) {
    if (after.has(id) || bounds(prev.rule).from >= at) continue
    problems.push({
      path: `$.${prev.list}`,
      message: `${id} has been in force${since(prev.rule)}: it cannot be deleted; end it by setting valid_to`,
    })
  }
  return { rules: filled, problems }
}

function pastRuleProblems(prev: Located, next: Located, at: number): ProblemDetail[] {
  const id = prev.rule.id
  const path = `$.${next.list}[${next.index}]`
  if (prev.list !== next.list) {
    return [{ path, message: `${id} has been in force${since(prev.rule)} as one of ${prev.list}: it cannot move to ${next.list}` }]
  }
  const problems: ProblemDetail[] = []
  const keys = new Set([...Object.keys(prev.rule), ...Object.keys(next.rule)])
  keys.delete('valid_to')
  for (const key of [...keys].sort()) {
    if (canonical(prev.rule[key]) === canonical(next.rule[key])) continue
    problems.push({ path: `${path}.${key}`, message: `${id} has been in force${since(prev.rule)}: only its valid_to may change` })
  }
  const oldTo = bounds(prev.rule).to
  const newTo = bounds(next.rule).to
  if (oldTo <= at && newTo !== oldTo) {
    problems.push({ path: `${path}.valid_to`, message: `${id} ended at ${prev.rule.valid_to}: its window is history and cannot change` })
  } else if (oldTo > at && newTo < at) {
    problems.push({ path: `${path}.valid_to`, message: `${id} may end now or later, not before ${new Date(at).toISOString()}` })
  }
  return problems
}

function newRuleProblem(next: Located, at: number): ProblemDetail | undefined {
  const { from, to } = bounds(next.rule)
  const path = `$.${next.list}[${next.index}]`
  if (next.rule.valid_from !== undefined && from < at) {
    return {
      path: `${path}.valid_from`,
      message: `${next.rule.id} would apply to swipes already made: start it at ${new Date(at).toISOString()} or later, or omit valid_from to start it now`,
    }
  }
  if (to <= Math.max(from, at)) return { path: `${path}.valid_to`, message: `${next.rule.id} would end before it starts (now at the earliest)` }
  return undefined
}

function locate(rules: EarningRules): Map<string, Located> {
  const found = new Map<string, Located>()
  for (const list of LISTS) (rules[list] as Rule[]).forEach((rule, index) => found.set(rule.id, { list, index, rule }))
  return found
}

const since = (rule: RuleWindow) => (rule.valid_from ? ` since ${rule.valid_from}` : '')

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  )
}
