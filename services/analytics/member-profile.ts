import type { ClickHouse } from '../platform/clickhouse'
import { formatScaled, parseScaled } from '../platform/decimal'
import { AppError } from '../platform/http/errors'
import { sql } from '../platform/sql-loader'
import { requireProfilesRun, requireReadableMember } from './analytics-runs.repo'
import type { ReadDeps } from './read-segments'

/**
 * The figures of one member's profile, field by field as member_profiles holds them
 * (docs/segments.md "Profile"). Read from ClickHouse, decimals are short text ('5', '12.5') and
 * times 'YYYY-MM-DD hh:mm:ss.sss'; reference.ts gives the same fields in canonical text.
 */
export interface ProfileFigures {
  visits: number
  sales: string
  returns: string
  spend: string
  avg_basket: string
  first_visit: string
  last_visit: string
  days_since_last_visit: number
  median_days_between_visits: number | null
  preferred_store_id: string
  weekday_visits: number[]
  hour_visits: number[]
  top_categories: { category: string; spend: string; share: number; lift: number }[]
  top_skus: { sku: string; spend: string; quantity: string; visits: number }[]
  coupon_visits: number
  coupon_rate: number
  recent_spend: string
  previous_spend: string
  recent_visits: number
  previous_visits: number
  trend: number | null
  /** A category they have stopped buying (campaign personalisation); '' when none. */
  lapsed_category: string
}
type ProfileRow = ProfileFigures


/** Decimal text with exactly `scale` decimals ("5" → "5.00"). */
function fixed(text: string, scale: number): string {
  const units = parseScaled(text, scale)
  if (units === null) throw new Error(`not a decimal with at most ${scale} decimals: ${text}`)
  return formatScaled(units, scale)
}
const money = (text: string) => fixed(text, 2)
/** ClickHouse's DateTime64(3, 'UTC') text ('2026-01-10 09:00:00.000') as ISO 8601. */
const iso = (text: string) => new Date(`${text.replace(' ', 'T')}Z`).toISOString()

/**
 * GET /v1/members/:id/profile: the member's purchase-behaviour profile from the newest done
 * profiles run (docs/segments.md "Profile"). No personal data: the profile holds none.
 */
export async function memberProfile(deps: ReadDeps, memberId: string) {
  await requireReadableMember(deps.pg, memberId, 'profile')
  const run = await requireProfilesRun(deps.pg)
  const row = await profileRow(deps.ch, run.id, memberId)
  if (!row) throw AppError.notFound(`member ${memberId} has no profile in run ${run.id}: no visit in its ${run.window_days} days up to ${run.as_of}`)
  return { member_id: memberId, run, ...profileView(row) }
}

async function profileRow(ch: ClickHouse, runId: number, memberId: string): Promise<ProfileRow | undefined> {
  const result = await ch.client.query({
    query: sql('clickhouse/queries/analytics/read-member-profile'),
    query_params: { run_id: runId, member_id: memberId },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<ProfileRow>()
  return row
}

/** Amounts as text with 2 decimals, quantities with 3, times as ISO 8601. */
function profileView(row: ProfileRow) {
  return {
    ...row,
    sales: money(row.sales),
    returns: money(row.returns),
    spend: money(row.spend),
    avg_basket: money(row.avg_basket),
    first_visit: iso(row.first_visit),
    last_visit: iso(row.last_visit),
    top_categories: row.top_categories.map((c) => ({ ...c, spend: money(c.spend) })),
    top_skus: row.top_skus.map((s) => ({ ...s, spend: money(s.spend), quantity: fixed(s.quantity, 3) })),
    recent_spend: money(row.recent_spend),
    previous_spend: money(row.previous_spend),
  }
}
