import { z } from 'zod'
import { parseScaled } from '../platform/decimal'

/**
 * CLV / P(alive) as filters (docs/clv.md "API"): the query fields, their checks, and the one
 * place that turns a filter into a ClickHouse condition on a `clv_scores` row. Segment member
 * listings use it now; campaign audiences are to use the same. Values are always bound
 * parameters ({name:Type}); only constant text of this file becomes SQL.
 */

export const CHURN_BANDS = ['low', 'medium', 'high'] as const
export type ChurnBandName = (typeof CHURN_BANDS)[number]

const MoneySchema = z.string().regex(/^-?\d{1,15}(\.\d{1,2})?$/, 'must be an amount with at most 2 decimals (e.g. 150 or 99.50)')
const ProbabilitySchema = z
  .string()
  .regex(/^(0(\.\d{1,15})?|1(\.0{1,15})?|\.\d{1,15})$/, 'must be a probability from 0 to 1')
  .transform(Number)
const BandsSchema = z
  .string()
  .regex(/^(low|medium|high)(,(low|medium|high))*$/, 'must be low, medium or high, or several of them comma-separated')
  .transform((text) => [...new Set(text.split(','))] as ChurnBandName[])

/** The filter fields, to spread into a route's strict query schema (with checkClvFilter). */
export const ClvFilterFields = {
  /** CLV at least this amount (inclusive). */
  min_clv: MoneySchema.optional(),
  /** CLV at most this amount (inclusive). */
  max_clv: MoneySchema.optional(),
  /** P(alive) at least this (inclusive). */
  min_p_alive: ProbabilitySchema.optional(),
  /** P(alive) at most this (inclusive). */
  max_p_alive: ProbabilitySchema.optional(),
  /** One churn band or several, comma-separated: the member's band is one of them. */
  churn_band: BandsSchema.optional(),
}

export interface ClvFilter {
  min_clv?: string
  max_clv?: string
  min_p_alive?: number
  max_p_alive?: number
  churn_band?: ChurnBandName[]
}

const FILTER_KEYS = ['min_clv', 'max_clv', 'min_p_alive', 'max_p_alive', 'churn_band'] as const

/**
 * For a schema's superRefine: each minimum is at most its maximum (the issue is on the maximum).
 * zod runs it even when a field failed its own check, so only valid pairs are compared.
 */
export function checkClvFilter(filter: ClvFilter, ctx: z.RefinementCtx): void {
  const [minClv, maxClv] = [parseScaled(String(filter.min_clv), 2), parseScaled(String(filter.max_clv), 2)]
  if (minClv !== null && maxClv !== null && minClv > maxClv) {
    ctx.addIssue({ code: 'custom', path: ['max_clv'], message: 'must not be less than min_clv' })
  }
  const [minP, maxP] = [filter.min_p_alive, filter.max_p_alive]
  if (typeof minP === 'number' && typeof maxP === 'number' && minP > maxP) {
    ctx.addIssue({ code: 'custom', path: ['max_p_alive'], message: 'must not be less than min_p_alive' })
  }
}

/** The filter fields of a parsed query, or undefined when none is given. */
export function clvFilterOf(query: ClvFilter): ClvFilter | undefined {
  const filter: Record<string, unknown> = {}
  for (const key of FILTER_KEYS) if (query[key] !== undefined) filter[key] = query[key]
  return Object.keys(filter).length > 0 ? (filter as ClvFilter) : undefined
}

export interface Condition {
  /** A boolean ClickHouse expression ('1' for no filter). */
  sql: string
  /** Its bound parameters, named `clv_<field>`. */
  params: Record<string, unknown>
}

/**
 * The filter as a condition on the clv_scores row `alias` (a constant of the caller's SQL).
 * A member whose CLV is NULL passes no CLV bound; one whose P(alive) is not a number passes no
 * P(alive) bound (comparisons with NULL and NaN are false).
 */
export function clvFilterCondition(filter: ClvFilter, alias: string): Condition {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`not a table alias: ${alias}`)
  const terms: string[] = []
  const params: Record<string, unknown> = {}
  const bound = (field: keyof ClvFilter, term: string, value: unknown) => {
    if (value === undefined) return
    terms.push(term)
    params[`clv_${field}`] = value
  }
  bound('min_clv', `${alias}.clv >= {clv_min_clv:Decimal(18, 2)}`, filter.min_clv)
  bound('max_clv', `${alias}.clv <= {clv_max_clv:Decimal(18, 2)}`, filter.max_clv)
  bound('min_p_alive', `${alias}.p_alive >= {clv_min_p_alive:Float64}`, filter.min_p_alive)
  bound('max_p_alive', `${alias}.p_alive <= {clv_max_p_alive:Float64}`, filter.max_p_alive)
  bound('churn_band', `has({clv_churn_band:Array(String)}, ${alias}.churn_band)`, filter.churn_band)
  return { sql: terms.length > 0 ? terms.join(' AND ') : '1', params }
}

/** Where a SQL file takes a filter condition: replaced whole, and a statement without it is refused. */
export const CONDITION_SLOT = '{{clv_filter}}'

/** `statement` with its one CONDITION_SLOT replaced by the condition's (constant) text. */
export function withCondition(statement: string, condition: Condition): string {
  const parts = statement.split(CONDITION_SLOT)
  if (parts.length !== 2) throw new Error(`a filtered statement needs exactly one ${CONDITION_SLOT}`)
  return `${parts[0]}(${condition.sql})${parts[1]}`
}
