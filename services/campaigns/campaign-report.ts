import type { ClickHouse } from '../platform/clickhouse'
import { parseScaled } from '../platform/decimal'
import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import type { CampaignReportQuery } from './report.schemas'
import { incrementalTotalCents, meanCents, money, roi, welch, type GroupSums } from './report-stats'

/** What the report reads: the campaign from Postgres, everything else from ClickHouse. */
export interface ReportDeps {
  pg: Postgres
  ch: ClickHouse
  clock: () => Date
}

interface CampaignRow {
  id: string
  name: string
  state: 'draft' | 'launching' | 'launched' | 'cancelled'
  valid_from: Date
  valid_until: Date
  assigned_at: Date | null
}

const GROUPS = ['treated', 'holdout'] as const
type Group = (typeof GROUPS)[number]
interface GroupRow { grp: Group; members: string; revenue_cents: string; revenue_cents_sq: string; visits: string; visits_sq: string }
interface DailyRow { day: string; grp: Group; revenue_cents: string; visits: string }
interface CouponRow { issued: string; redeemed: string; discount_cents: string }

/** DateTime64(3, 'UTC') parameter text (CLICKHOUSE.md trap 2). */
const chTime = (at: Date) => at.toISOString().replace('T', ' ').replace('Z', '')
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places

async function rows<T>(ch: ClickHouse, name: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await ch.client.query({ query: sql(`clickhouse/queries/campaigns/${name}`), query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

/** The campaign, if it has a report: launched (or cancelled after its assignment was written). */
async function reportableCampaign(pg: Postgres, id: number): Promise<CampaignRow> {
  const [campaign] = await pg.query<CampaignRow>(sql('postgres/queries/campaigns/report-campaign'), [id])
  if (!campaign) throw AppError.notFound(`no campaign ${id}`)
  if (campaign.state === 'draft') throw AppError.conflict('the campaign is a draft: it has no report until it is launched')
  if (!campaign.assigned_at) throw AppError.conflict(`the campaign is ${campaign.state} and has no assignment yet: no report`)
  return campaign
}

/**
 * [valid_from, min(valid_until, now)), narrowed by `from` and `to`, which must lie inside the
 * campaign's validity. A window not yet open is empty (to = from).
 */
function reportWindow(campaign: CampaignRow, query: CampaignReportQuery, now: Date) {
  const from = query.from ? new Date(query.from) : campaign.valid_from
  const asked = query.to ? new Date(query.to) : campaign.valid_until
  const problems = []
  if (from < campaign.valid_from || from >= campaign.valid_until) problems.push({ path: '$.from', message: 'must be within the campaign [valid_from, valid_until)' })
  if (asked > campaign.valid_until || asked <= from) problems.push({ path: '$.to', message: 'must be after from and at most valid_until' })
  if (problems.length > 0) throw AppError.badRequest('the window must lie inside the campaign', problems)
  const to = new Date(Math.max(from.getTime(), Math.min(asked.getTime(), now.getTime())))
  return { from, to, narrowed: query.from !== undefined || query.to !== undefined, capped_at_now: to.getTime() < asked.getTime() }
}

const sums = (row: GroupRow | undefined, field: 'revenue' | 'visits'): GroupSums => ({
  members: Number(row?.members ?? 0),
  sum: BigInt(row?.[field === 'revenue' ? 'revenue_cents' : 'visits'] ?? 0),
  sumSq: BigInt(row?.[field === 'revenue' ? 'revenue_cents_sq' : 'visits_sq'] ?? 0),
})

/** GET /v1/campaigns/:id/report (docs/campaigns.md "Report"). */
export async function campaignReport(deps: ReportDeps, id: number, query: CampaignReportQuery) {
  const campaign = await reportableCampaign(deps.pg, id)
  const window = reportWindow(campaign, query, deps.clock())
  const params = { campaign_id: campaign.id, from: chTime(window.from), to: chTime(window.to) }
  const [groupRows, dailyRows, [coupons]] = await Promise.all([
    rows<GroupRow>(deps.ch, 'report-groups', params),
    rows<DailyRow>(deps.ch, 'report-daily', params),
    rows<CouponRow>(deps.ch, 'report-coupons', params),
  ])
  const byGroup = new Map(groupRows.map((row) => [row.grp, row]))
  const revenue = { treated: sums(byGroup.get('treated'), 'revenue'), holdout: sums(byGroup.get('holdout'), 'revenue') }
  const visits = { treated: sums(byGroup.get('treated'), 'visits'), holdout: sums(byGroup.get('holdout'), 'visits') }
  const perMember = welch(revenue.treated, revenue.holdout, 'money per member', 100)
  const incrementalCents = incrementalTotalCents(revenue.treated, revenue.holdout)
  const issued = Number(coupons?.issued ?? 0)
  const redeemed = Number(coupons?.redeemed ?? 0)
  const costCents = BigInt(coupons?.discount_cents ?? 0)
  return {
    campaign: { id: Number(campaign.id), name: campaign.name, state: campaign.state, valid_from: campaign.valid_from.toISOString(), valid_until: campaign.valid_until.toISOString() },
    window: { from: window.from.toISOString(), to: window.to.toISOString(), narrowed: window.narrowed, capped_at_now: window.capped_at_now },
    coupons: { issued, redeemed, redemption_rate: issued > 0 ? round(redeemed / issued, 4) : null, discount_cost: money(costCents) },
    groups: Object.fromEntries(GROUPS.map((g) => [g, groupFigures(revenue[g], visits[g])])),
    incremental: {
      revenue_per_member: perMember,
      visits_per_member: welch(visits.treated, visits.holdout, 'visits per member'),
      revenue_total: incrementalCents === null ? null : money(incrementalCents),
    },
    roi: roi({ incrementalCents, perMember, treatedMembers: revenue.treated.members, marginUnits: parseScaled(query.margin, 4)!, costCents }),
    daily: dailySeries(window.from, window.to, dailyRows, revenue),
  }
}

function groupFigures(revenue: GroupSums, visits: GroupSums) {
  return {
    members: revenue.members,
    revenue: money(revenue.sum),
    visits: Number(visits.sum),
    revenue_per_member: money(meanCents(revenue)),
    visits_per_member: revenue.members > 0 ? round(Number(visits.sum) / revenue.members, 4) : 0,
  }
}

/** Every UTC day the window touches, with each group's revenue per member that day (0 without swipes). */
function dailySeries(from: Date, to: Date, found: DailyRow[], revenue: Record<Group, GroupSums>) {
  const cents = new Map(found.map((row) => [`${row.day}/${row.grp}`, BigInt(row.revenue_cents)]))
  const days: { day: string; treated: string; holdout: string }[] = []
  const perMember = (day: string, g: Group) => money(meanCents({ members: revenue[g].members, sum: cents.get(`${day}/${g}`) ?? 0n, sumSq: 0n }))
  for (let at = Date.parse(from.toISOString().slice(0, 10)); at < to.getTime(); at += 86_400_000) {
    const day = new Date(at).toISOString().slice(0, 10)
    days.push({ day, treated: perMember(day, 'treated'), holdout: perMember(day, 'holdout') })
  }
  return days
}
