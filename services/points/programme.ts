import type { Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { EarningRulesSchema, type EarningRules } from './earning-rules.schemas'
import { TiersSchema, type Tiers } from './tiers.schemas'

/** The loyalty programme in force: the newest earning rules and tier ladder. */
export interface Programme {
  rulesVersion: number
  tiersVersion: number
  rules: EarningRules
  tiers: Tiers
}

/**
 * Reads the programme once per write group: a one-row query for the newest version numbers,
 * and the documents themselves (parsed by their schemas) only when a version changed. Staff
 * edits therefore apply from the next write, with no cache to invalidate by hand.
 */
export function createProgrammeLoader() {
  let cached: Programme | undefined
  return async function loadProgramme(tx: Tx): Promise<Programme> {
    const [versions] = await tx.query<{ rules_version: number; tiers_version: number }>(sql('postgres/queries/points/programme-versions'))
    const { rules_version: rulesVersion, tiers_version: tiersVersion } = versions!
    if (cached?.rulesVersion === rulesVersion && cached.tiersVersion === tiersVersion) return cached
    const [docs] = await tx.query<{ rules: unknown; tiers: unknown }>(sql('postgres/queries/points/programme'), [rulesVersion, tiersVersion])
    cached = { rulesVersion, tiersVersion, rules: EarningRulesSchema.parse(docs!.rules), tiers: TiersSchema.parse(docs!.tiers) }
    return cached
  }
}
export type ProgrammeLoader = ReturnType<typeof createProgrammeLoader>
