import type { ClickHouse } from '../platform/clickhouse'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { cents, money } from '../analytics/read-segments'
import { addDays, type DayRange } from './dashboards.schemas'

/** The figures of GET /v1/dashboard/overview (docs/dashboards.md "Overview"). */
export interface OverviewDeps {
  pg: Postgres
  ch: ClickHouse
}

interface DayRow {
  day: string
  sale_swipes: string
  return_swipes: string
  gross_sales: string
  net_sales: string
  basket_lines: string
  coupon_swipes: string
  active_cards: string
}

async function chRows<T>(ch: ClickHouse, name: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await ch.client.query({ query: sql(`clickhouse/queries/dashboards/${name}`), query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

/** Σ gross ÷ sales, rounded half up to the cent; null without a sale. */
export function averageBasket(gross: bigint, sales: bigint): string | null {
  if (sales === 0n) return null
  return money((2n * gross + sales) / (2n * sales))
}

/** A ratio rounded to 4 places; null when nothing was issued. */
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null)

/** One pass per source: ClickHouse's daily table, the points ledger, the coupons. Days without a row read 0. */
export async function overviewReport(deps: OverviewDeps, range: DayRange) {
  const params = { from: range.from, to: range.to }
  const [days, [cards], points, [coupons]] = await Promise.all([
    chRows<DayRow>(deps.ch, 'read-overview-days', params),
    chRows<{ active_cards: string }>(deps.ch, 'read-active-cards', params),
    deps.pg.query<{ day: string; issued: string; redeemed: string }>(sql('postgres/queries/dashboards/points-per-day'), [range.from, range.to]),
    deps.pg.query<{ issued: number; redeemed: number }>(sql('postgres/queries/dashboards/coupon-redemption'), [range.from, range.to]),
  ])
  const byDay = new Map(days.map((d) => [d.day, d]))
  const pointsByDay = new Map(points.map((p) => [p.day, p]))
  const total = { swipes: 0, sale_swipes: 0, return_swipes: 0, gross: 0n, net: 0n, points_issued: 0, points_redeemed: 0 }
  const series = Array.from({ length: range.days }, (_, i) => {
    const day = addDays(range.from, i)
    const row = byDay.get(day)
    const sales = Number(row?.sale_swipes ?? 0)
    const returns = Number(row?.return_swipes ?? 0)
    const gross = row ? cents(row.gross_sales) : 0n
    const net = row ? cents(row.net_sales) : 0n
    const issued = Number(pointsByDay.get(day)?.issued ?? 0)
    const redeemed = Number(pointsByDay.get(day)?.redeemed ?? 0)
    total.swipes += sales + returns
    total.sale_swipes += sales
    total.return_swipes += returns
    total.gross += gross
    total.net += net
    total.points_issued += issued
    total.points_redeemed += redeemed
    return {
      day,
      swipes: sales + returns,
      sale_swipes: sales,
      return_swipes: returns,
      sales: money(net),
      average_basket: averageBasket(gross, BigInt(sales)),
      active_cards: Number(row?.active_cards ?? 0),
      points_issued: issued,
      points_redeemed: redeemed,
    }
  })
  return {
    from: range.from,
    to: range.to,
    totals: {
      swipes: total.swipes,
      sale_swipes: total.sale_swipes,
      return_swipes: total.return_swipes,
      sales: money(total.net),
      average_basket: averageBasket(total.gross, BigInt(total.sale_swipes)),
      active_cards: Number(cards?.active_cards ?? 0),
      points_issued: total.points_issued,
      points_redeemed: total.points_redeemed,
      coupons_issued: coupons?.issued ?? 0,
      coupons_redeemed: coupons?.redeemed ?? 0,
      coupon_redemption_rate: rate(coupons?.redeemed ?? 0, coupons?.issued ?? 0),
    },
    days: series,
  }
}
