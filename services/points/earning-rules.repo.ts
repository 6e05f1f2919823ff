/**
 * The earning rules as history: every change is a new version of the whole document
 * (earning_rule_sets), the newest is in force. Reads for the staff API and the insert of a
 * new version; the cached loader the write path uses is programme.ts.
 */
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { EarningRulesSchema, type EarningRules } from './earning-rules.schemas'

export interface RuleSetVersion {
  version: number
  created_at: string
  created_by: string | null
}
export interface RuleSet extends RuleSetVersion {
  rules: EarningRules
}

interface Row {
  version: number
  rules: unknown
  created_at: Date
  created_by: string | null
}

const toRuleSet = (row: Row): RuleSet => ({
  version: row.version,
  created_at: row.created_at.toISOString(),
  created_by: row.created_by,
  // Parsed on the way out too: stored documents were valid when written, and this keeps
  // their decimals canonical for the history comparison.
  rules: EarningRulesSchema.parse(row.rules),
})

/** The rules in force (the migration inserts a first version, so there always is one). */
export async function newestRuleSet(db: Postgres | Tx): Promise<RuleSet> {
  const [row] = await db.query<Row>(sql('postgres/queries/points/newest-rule-set'))
  return toRuleSet(row!)
}

export async function ruleSetVersion(db: Postgres | Tx, version: number): Promise<RuleSet | undefined> {
  const [row] = await db.query<Row>(sql('postgres/queries/points/rule-set-version'), [version])
  return row && toRuleSet(row)
}

/** Versions newest first, `limit` of them below `before` (keyset). */
export async function ruleSetVersions(db: Postgres | Tx, page: { before?: number; limit: number }): Promise<RuleSetVersion[]> {
  const rows = await db.query<Omit<Row, 'rules'>>(sql('postgres/queries/points/rule-set-versions'), [page.before ?? null, page.limit])
  return rows.map((r) => ({ version: r.version, created_at: r.created_at.toISOString(), created_by: r.created_by }))
}

/** Takes the edit lock: until commit, no other transaction can add a version. */
export async function lockRuleSets(tx: Tx): Promise<void> {
  await tx.query(sql('postgres/queries/points/lock-rule-sets'))
}

export async function insertRuleSet(tx: Tx, rules: EarningRules, at: Date, by: string | null): Promise<RuleSet> {
  const [row] = await tx.query<Row>(sql('postgres/queries/points/insert-rule-set'), [JSON.stringify(rules), at, by])
  return toRuleSet(row!)
}
