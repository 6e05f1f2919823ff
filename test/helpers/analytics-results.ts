import type { ReferenceProfile, ReferenceRfm } from '../../services/analytics/reference'
import { runAnalytics } from '../../services/analytics/run-analytics'
import type { ClickHouse } from '../../services/platform/clickhouse'
import { createLogger } from '../../services/platform/logger'
import type { Postgres } from '../../services/platform/postgres'
import { chRows } from './databases'

const logger = createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' })

/** Runs profiles and RFM as of `asOf` (windows in days, 365 unless given); returns the run id. */
export async function runBoth(pg: Postgres, ch: ClickHouse, asOf: string, windows: { profile?: number; rfm?: number } = {}): Promise<number> {
  const at = new Date(asOf)
  const result = await runAnalytics(
    { pg, ch, logger, clock: () => at },
    { kinds: ['profiles', 'rfm'], asOf: at, profileWindowDays: windows.profile ?? 365, rfmWindowDays: windows.rfm ?? 365 },
    { profileKeepRuns: 100, rfmKeepDays: 100_000 },
  )
  return result.run_id
}

/**
 * A ClickHouse decimal as text with exactly `scale` places: ClickHouse prints '2.5' and '-3',
 * the reference '2.50' and '-3.00'.
 */
export function fixed(text: string, scale: number): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (!match) throw new Error(`not a decimal: ${text}`)
  const [, sign, whole, fraction = ''] = match
  const digits = `${whole}.${fraction.padEnd(scale, '0')}`
  return /^0\.0*$/.test(digits) ? digits : `${sign}${digits}`
}

/** '2026-01-12 17:00:00.000' (UTC) → '2026-01-12T17:00:00.000Z' */
const iso = (chTime: string) => `${chTime.replace(' ', 'T')}Z`

type Row = Record<string, any>

/** The run's profiles in the reference's shape, by member id. */
export async function readProfiles(ch: ClickHouse, runId: number): Promise<ReferenceProfile[]> {
  const rows = await chRows<Row>(ch, 'SELECT * EXCEPT run_id FROM member_profiles WHERE run_id = {id:UInt64} ORDER BY member_id', { id: runId })
  return rows.map((p) => ({
    ...(p as ReferenceProfile),
    sales: fixed(p.sales, 2),
    returns: fixed(p.returns, 2),
    spend: fixed(p.spend, 2),
    avg_basket: fixed(p.avg_basket, 2),
    first_visit: iso(p.first_visit),
    last_visit: iso(p.last_visit),
    recent_spend: fixed(p.recent_spend, 2),
    previous_spend: fixed(p.previous_spend, 2),
    top_categories: p.top_categories.map((c: Row) => ({ ...c, spend: fixed(c.spend, 2) })),
    top_skus: p.top_skus.map((s: Row) => ({ ...s, spend: fixed(s.spend, 2), quantity: fixed(s.quantity, 3) })),
  }))
}

/** The run's RFM rows in the reference's shape, by member id. */
export async function readRfm(ch: ClickHouse, runId: number): Promise<ReferenceRfm[]> {
  const rows = await chRows<Row>(ch, 'SELECT * EXCEPT run_id FROM rfm_scores WHERE run_id = {id:UInt64} ORDER BY member_id', { id: runId })
  return rows.map((row) => ({ ...(row as ReferenceRfm), monetary: fixed(row.monetary, 2) }))
}

/** One member's profile of a run. */
export async function profileOf(ch: ClickHouse, runId: number, memberId: string): Promise<ReferenceProfile | undefined> {
  return (await readProfiles(ch, runId)).find((p) => p.member_id === memberId)
}
