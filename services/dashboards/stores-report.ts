import { cents, money } from '../analytics/read-segments'
import type { ClickHouse } from '../platform/clickhouse'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { addDays, type DayRange } from './dashboards.schemas'

/** GET /v1/dashboard/stores (docs/dashboards.md "Stores"). */
export interface StoresReportDeps {
  pg: Postgres
  ch: ClickHouse
}

/** The Monday (UTC) of a day's week, as YYYY-MM-DD. */
export function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7
  return addDays(day, -weekday)
}

/** net ÷ target as a percentage with one decimal, rounded half up; null without a positive target. */
export function attainment(net: bigint, target: bigint | null): number | null {
  if (target === null || target <= 0n) return null
  const sign = net < 0n ? -1n : 1n
  const tenths = (sign * net * 2000n + target) / (2n * target)
  return Number(sign * tenths) / 10
}

/**
 * Every store, with its net sales, its prorated target (null unless every month the period
 * touches has one), attainment and weekly net sales (every week of the range, zeros
 * included). Best attainment first; stores without a target last, by name.
 */
export async function storesReport(deps: StoresReportDeps, range: DayRange) {
  const [stores, targets, weeks] = await Promise.all([
    deps.pg.query<{ id: string; name: string }>(sql('postgres/queries/dashboards/list-store-names')),
    deps.pg.query<{ store_id: string; target: string }>(sql('postgres/queries/dashboards/prorated-targets'), [range.from, range.to]),
    deps.ch.client
      .query({ query: sql('clickhouse/queries/dashboards/read-store-weeks'), query_params: { from: range.from, to: range.to }, format: 'JSONEachRow' })
      .then((r) => r.json<{ store_id: string; week: string; net_sales: string }>()),
  ])
  const weekStarts: string[] = []
  for (let w = mondayOf(range.from); w <= range.to; w = addDays(w, 7)) weekStarts.push(w)
  const targetOf = new Map(targets.map((t) => [t.store_id, cents(t.target)]))
  const weekly = new Map<string, Map<string, bigint>>()
  for (const row of weeks) {
    if (!weekly.has(row.store_id)) weekly.set(row.store_id, new Map())
    weekly.get(row.store_id)!.set(row.week, cents(row.net_sales))
  }
  const rows = stores.map((store) => {
    const own = weekly.get(store.id)
    const trend = weekStarts.map((week) => ({ week, net_sales: money(own?.get(week) ?? 0n) }))
    const net = [...(own?.values() ?? [])].reduce((a, b) => a + b, 0n)
    const target = targetOf.get(store.id) ?? null
    return {
      store_id: store.id,
      name: store.name,
      net_sales: money(net),
      target: target === null ? null : money(target),
      attainment_pct: attainment(net, target),
      trend,
    }
  })
  rows.sort((a, b) => {
    if (a.attainment_pct === null || b.attainment_pct === null) {
      if (a.attainment_pct !== b.attainment_pct) return a.attainment_pct === null ? 1 : -1
      return a.name.localeCompare(b.name)
    }
    return b.attainment_pct - a.attainment_pct || a.name.localeCompare(b.name)
  })
  return { from: range.from, to: range.to, weeks: weekStarts, stores: rows }
}
