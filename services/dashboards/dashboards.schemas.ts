import { z } from 'zod'
import { decimalSchema } from '../platform/decimal.schema'

/**
 * Inputs of the dashboard routes (dashboards.router.ts, targets.router.ts). Strict objects: an
 * unknown parameter is a 400 naming it.
 */

/** The longest range a dashboard reads: 3 years of days (the daily table makes it cheap). */
export const MAX_RANGE_DAYS = 1096
/** The range when none is given: the last 30 days, today (UTC) included. */
export const DEFAULT_RANGE_DAYS = 30

const DAY_MS = 86_400_000
const DateSchema = z.iso.date({ message: 'must be a date, YYYY-MM-DD' })

/** `from` and `to` (UTC days, both included), each optional; settled by settleRange. */
export const RangeQuerySchema = z.strictObject({ from: DateSchema.optional(), to: DateSchema.optional() })
export type RangeQuery = z.infer<typeof RangeQuerySchema>

/** A settled range: both ends as YYYY-MM-DD and the number of days it holds. */
export interface DayRange {
  from: string
  to: string
  days: number
}

export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)

/**
 * Fills in the defaults (to: today; from: 29 days before to) and checks the order and the
 * length, as the query schema's problems are reported: by the parameter's path.
 */
export const rangeSchema = (today: () => string) =>
  RangeQuerySchema.transform((q, ctx): DayRange => {
    const to = q.to ?? (q.from ? minDay(addDays(q.from, DEFAULT_RANGE_DAYS - 1), today()) : today())
    const from = q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1))
    const days = daysBetween(from, to) + 1
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' })
    else if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: `the range may hold at most ${MAX_RANGE_DAYS} days` })
    return { from, to, days }
  })

const minDay = (a: string, b: string) => (a < b ? a : b)

/** A month as YYYY-MM (2000-01 … 2999-12). */
const MonthSchema = z.string().regex(/^2\d{3}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM')

/** One month's target: sales as a decimal string with at most 2 places (numeric(14,2)). */
export const TargetSchema = z.strictObject({
  month: MonthSchema,
  sales: decimalSchema(2, { min: '0', max: '999999999999.99' }),
})
export type Target = z.infer<typeof TargetSchema>

/** PUT /v1/stores/:id/targets: 1–120 months, each at most once. */
export const TargetsBodySchema = z
  .array(TargetSchema, { error: 'expected an array of {month, sales}' })
  .min(1, 'give at least one month')
  .max(120, 'at most 120 months at a time')
  .superRefine((targets, ctx) => {
    const seen = new Set<string>()
    targets.forEach((t, i) => {
      if (seen.has(t.month)) ctx.addIssue({ code: 'custom', path: [i, 'month'], message: `${t.month} is given twice` })
      seen.add(t.month)
    })
  })

/** GET /v1/segments/grid: a done RFM run, default the newest. */
export const GridQuerySchema = z.strictObject({
  run_id: z.string().regex(/^[1-9]\d{0,14}$/, 'must be a run id (a positive integer)').transform(Number).optional(),
})
