/**
 * PUT /v1/earning-rules: a new version of the whole rules document, in force from the next
 * swipe scored. Checked against the newest version so the past is never rewritten
 * (rules-history.ts), serialised against other edits, and audited in the same transaction.
 */
import { audit, type Actor } from '../platform/audit'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import type { EarningRules } from './earning-rules.schemas'
import { insertRuleSet, lockRuleSets, newestRuleSet, type RuleSet } from './earning-rules.repo'
import { checkRulesHistory } from './rules-history'

export interface UpdateRulesDeps {
  pg: Postgres
  clock: () => Date
}

/**
 * Stores `proposed` as the next version, unless it equals the newest (then nothing is
 * written). `expectedVersion` (If-Match) refuses an edit made on an outdated copy.
 */
export async function updateEarningRules(
  deps: UpdateRulesDeps,
  proposed: EarningRules,
  context: { actor: Actor; requestId?: string; expectedVersion?: number },
): Promise<{ ruleSet: RuleSet; created: boolean }> {
  return deps.pg.transaction(async (tx) => {
    await lockRuleSets(tx)
    const current = await newestRuleSet(tx)
    if (context.expectedVersion !== undefined && context.expectedVersion !== current.version) {
      throw new AppError(412, 'version_mismatch', `the rules are at version ${current.version}, not ${context.expectedVersion}: reload and edit again`)
    }
    const now = deps.clock()
    const { rules, problems } = checkRulesHistory(current.rules, proposed, now)
    if (problems.length) {
      throw new AppError(409, 'rewrites_history', 'rules in force before now can only be ended (valid_to), not rewritten or deleted', problems)
    }
    if (JSON.stringify(rules) === JSON.stringify(current.rules)) return { ruleSet: current, created: false }
    const ruleSet = await insertRuleSet(tx, rules, now, context.actor.id)
    await audit(tx, {
      actor: context.actor,
      action: 'rules.update',
      entity: { type: 'earning_rule_set', id: String(ruleSet.version) },
      before: { version: current.version, rules: current.rules },
      after: { version: ruleSet.version, rules: ruleSet.rules },
      requestId: context.requestId,
    })
    return { ruleSet, created: true }
  })
}
