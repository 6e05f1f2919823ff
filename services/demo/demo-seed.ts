import { createStaffUser, generatePassword } from '../members/staff-users'
import type { Postgres } from '../platform/postgres'
import { createStoresRepo } from '../stores/stores.repo'
import {
  afterLaunchSwipes,
  demoMembers,
  demoStores,
  historySwipes,
  ndjsonLine,
  type DemoMember,
  type DemoSwipe,
  type HeldCoupon,
} from './demo-generator'

/**
 * The demo supermarket, built through the platform's own API (stores, till keys and the first
 * staff user through the admin functions, as `npm run admin` does). Each step is timed.
 */

export interface DemoOptions {
  seed: number
  members: number
  stores: number
  /** The day the campaign launches (a UTC midnight): the year of history ends here. */
  launchDay: Date
  /** Days of swipes posted after the launch (before today). */
  daysAfter: number
  /** Swipes per bulk NDJSON request. */
  batch?: number
  /** The campaign's holdout share (default 0.1); a tiny demo needs more to be sure of a holdout at all. */
  holdoutShare?: number
}

export interface DemoResult {
  staff: { email: string; password: string }
  member: { card_number: string; pin: string; name: string }
  swipes: { accepted: number; rejected: number }
  campaign: { id: number; treated: number; holdout: number; issued: number; redeemed: number }
  report: Record<string, unknown>
  steps: { step: string; seconds: number }[]
}

type Log = (message: string) => void
const DEMO_PIN = '2580'
const ACTOR = { type: 'system', id: 'demo' } as const

/** Everything `npm run demo` puts into a running platform at `baseUrl` (Postgres `pg` is the platform's). */
export async function seedDemo(deps: { pg: Postgres; baseUrl: string; log: Log }, options: DemoOptions): Promise<DemoResult> {
  const steps: DemoResult['steps'] = []
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now()
    deps.log(`${name}…`)
    const value = await fn()
    const seconds = Math.round((performance.now() - started) / 100) / 10
    steps.push({ step: name, seconds })
    deps.log(`${name}: done in ${seconds} s`)
    return value
  }
  const api = createApi(deps.baseUrl)
  const storeList = demoStores(options.stores)
  const members = demoMembers(options.seed, options.members, storeList.length)

  const stores = await step(`stores (${storeList.length}) and till keys`, async () => {
    const repo = createStoresRepo(deps.pg)
    const made = []
    for (const s of storeList) {
      const store = await repo.createStore(s.code, s.name)
      made.push({ id: store.id, key: (await repo.createKey(store.id)).token })
    }
    return made
  })
  const staff = await step('staff user (admin, marketer)', async () => {
    const password = generatePassword()
    const email = 'admin@demo.example'
    await createStaffUser(deps.pg, { email, name: 'Demo Admin', roles: ['admin', 'marketer'], password }, { actor: ACTOR, now: new Date() })
    const session = await api.call('POST', '/v1/staff/sessions', { body: { email, password } })
    return { email, password, token: String(session.token) }
  })
  const token = staff.token
  const memberIds = await step(`members registered (${members.filter((m) => m.registered).length} of ${members.length} cards)`, () =>
    registerMembers(api, token, members, stores.map((s) => s.id)),
  )

  const launchAt = options.launchDay.getTime()
  const history = historySwipes({ seed: options.seed, members, stores: stores.length, end: options.launchDay })
  await step('store targets', () => putTargets(api, token, stores.map((s) => s.id), history.sales, deps.log))
  const posted = { accepted: 0, rejected: 0 }
  const post = async (swipes: DemoSwipe[]) => {
    const report = await postAll(api, stores.map((s) => s.key), swipes, options.batch ?? 20_000)
    posted.accepted += report.accepted
    posted.rejected += report.rejected
  }
  await step(`a year of swipes (${history.sales.length} sales, ${history.returns.length} returns)`, async () => {
    await post(history.sales)
    await post(history.returns)
    await untilShipped(api)
  })

  const asOf = new Date(launchAt).toISOString()
  for (const [kind, path] of [['profiles', '/v1/profiles/recompute'], ['RFM', '/v1/segments/rfm/recompute'], ['CLV', '/v1/clv/recompute']] as const) {
    await step(`analytics: ${kind}`, async () => api.untilDone(token, (await api.call('POST', path, { token, body: { as_of: asOf } })).job_id))
  }

  const holdoutShare = options.holdoutShare ?? 0.1
  const campaign = await step(`campaign launched (lapsed-category offer to lapsing members, ${holdoutShare * 100}% holdout)`, async () => {
    const created = await api.call('POST', '/v1/campaigns', { token, body: campaignBody(launchAt, options.daysAfter, holdoutShare) })
    const launched = await api.call('POST', `/v1/campaigns/${created.id}/launch`, { token })
    const job = await api.untilDone(token, launched.job_id)
    return { id: Number(created.id), ...(job.result as { treated: number; holdout: number; issued: number }) }
  })

  const coupons = await heldCoupons(deps.pg, campaign.id, memberIds)
  const after = afterLaunchSwipes({ seed: options.seed, members, stores: stores.length, start: options.launchDay, days: options.daysAfter, coupons })
  await step(`${options.daysAfter} days after the launch (${after.length} swipes, ${after.filter((s) => s.coupon_codes).length} with a coupon)`, async () => {
    await post(after)
    await untilShipped(api)
  })
  const report = await step('campaign report', () => api.call('GET', `/v1/campaigns/${campaign.id}/report`, { token }))
  const redeemed = Number((await deps.pg.query<{ n: string }>("SELECT count(*) AS n FROM coupons WHERE campaign_id = $1 AND state = 'redeemed'", [campaign.id]))[0]!.n)
  const signIn = members.find((m) => m.registered)!
  return {
    staff: { email: staff.email, password: staff.password },
    member: { card_number: signIn.card, pin: DEMO_PIN, name: signIn.name },
    swipes: posted,
    campaign: { ...campaign, redeemed },
    report,
    steps,
  }
}

/** The campaign the demo launches: 15 % off the category each lapsing member stopped buying. */
function campaignBody(launchAt: number, daysAfter: number, holdoutShare: number) {
  return {
    name: 'We miss you: 15% off your old favourite aisle',
    audience: { segments: ['at_risk', 'cant_lose_them', 'about_to_sleep', 'hibernating', 'need_attention'] },
    offer: { kind: 'percent', value: '15', max_discount: '10.00', scope: { type: 'category' }, min_basket: '10.00' },
    personalisation: 'lapsed_category',
    holdout_share: holdoutShare,
    valid_from: new Date(launchAt).toISOString(),
    valid_until: new Date(launchAt + (daysAfter + 14) * 86_400_000).toISOString(),
  }
}

/** The issued coupons, keyed by the treated member's card (what the member shows at the till). */
async function heldCoupons(pg: Postgres, campaignId: number, cardOf: Map<string, string>): Promise<Map<string, HeldCoupon>> {
  const rows = await pg.query<{ code: string; member_id: string; category: string | null; min_basket_cents: string }>(
    'SELECT code, member_id, category, min_basket_cents FROM coupons WHERE campaign_id = $1 ORDER BY code',
    [campaignId],
  )
  const held = new Map<string, HeldCoupon>()
  for (const row of rows) {
    const card = cardOf.get(row.member_id)
    if (card) held.set(card, { code: row.code, category: row.category ?? '', minCents: Number(row.min_basket_cents) })
  }
  return held
}

/** POST /v1/members for each registered member, 8 at a time; member id → card number. */
async function registerMembers(api: Api, token: string, members: DemoMember[], storeIds: string[]): Promise<Map<string, string>> {
  const registered = members.filter((m) => m.registered)
  const cardOf = new Map<string, string>()
  let next = 0
  const worker = async () => {
    for (let m = registered[next++]; m; m = registered[next++]) {
      const body = {
        name: m.name,
        email: m.email,
        card_number: m.card,
        preferred_store_id: storeIds[m.homeStore],
        consents: { email: m.personalisedOffers, sms: false, personalised_offers: m.personalisedOffers },
        // Hashing a PIN is slow by design: only the member printed for a sign-in gets one.
        ...(m === registered[0] ? { pin: DEMO_PIN } : {}),
      }
      const created = await api.call('POST', '/v1/members', { token, body })
      cardOf.set(String(created.id ?? created.member?.id), m.card)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  return cardOf
}

/**
 * Monthly sales targets per store (PUT /v1/stores/:id/targets): a little above or below what each
 * month of the year sold, and the store's average month for the months since, so some teams
 * reach their goal and some do not.
 */
async function putTargets(api: Api, token: string, storeIds: string[], sales: DemoSwipe[], log: Log): Promise<void> {
  const byStoreMonth = new Map<string, number>()
  for (const s of sales) {
    const key = `${s.store}|${s.occurred_at.slice(0, 7)}`
    byStoreMonth.set(key, (byStoreMonth.get(key) ?? 0) + Math.round(Number(s.total) * 100))
  }
  const thisMonth = new Date().toISOString().slice(0, 7)
  for (const [i, id] of storeIds.entries()) {
    const months = [...byStoreMonth].filter(([key]) => key.startsWith(`${i}|`)).map(([key, cents]) => ({ month: key.split('|')[1]!, cents }))
    const average = months.reduce((n, m) => n + m.cents, 0) / Math.max(1, months.length)
    const last = months.map((m) => m.month).sort().at(-1) ?? thisMonth
    for (let m = nextMonth(last); m <= nextMonth(thisMonth); m = nextMonth(m)) months.push({ month: m, cents: average })
    // Ambition differs by store: 92 % to 108 % of what the month sold, rounded to whole hundreds.
    const ambition = 0.92 + ((i * 7) % 5) * 0.04
    const targets = months.map((m) => ({ month: m.month, sales: (Math.round((m.cents * ambition) / 10_000) * 100).toFixed(2) }))
    const res = await api.raw('PUT', `/v1/stores/${id}/targets`, { token, body: targets })
    if (res.status === 404 || res.status === 405) {
      log('store targets: skipped (this platform has no PUT /v1/stores/:id/targets yet)')
      return
    }
    if (!res.ok) {
      log(`store targets: skipped (PUT /v1/stores/:id/targets answered ${res.status}: ${await res.text().catch(() => '')})`)
      return
    }
  }
}

const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
}

/** Posts the swipes store by store through POST /v1/swipes/bulk, in batches, two requests at once. */
async function postAll(api: Api, keys: string[], swipes: DemoSwipe[], batch: number): Promise<{ accepted: number; rejected: number }> {
  const jobs: { key: string; lines: string[] }[] = []
  for (const [store, key] of keys.entries()) {
    const mine = swipes.filter((s) => s.store === store)
    for (let i = 0; i < mine.length; i += batch) jobs.push({ key, lines: mine.slice(i, i + batch).map(ndjsonLine) })
  }
  const total = { accepted: 0, rejected: 0 }
  let next = 0
  const worker = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const body = `${job.lines.join('\n')}\n`
      // A resend is safe: what was committed is replayed, not recorded twice.
      const res = await api.raw('POST', '/v1/swipes/bulk', { token: job.key, ndjson: body }).catch(() => api.raw('POST', '/v1/swipes/bulk', { token: job.key, ndjson: body }))
      const report = (await res.json()) as { accepted: number; replayed: number; rejected: number; rejections?: unknown[] }
      if (!res.ok) throw new Error(`POST /v1/swipes/bulk answered ${res.status}: ${JSON.stringify(report)}`)
      if (report.rejected > 0) throw new Error(`the platform rejected ${report.rejected} demo swipes: ${JSON.stringify(report.rejections?.slice(0, 3))}`)
      total.accepted += report.accepted + report.replayed
    }
  }
  await Promise.all([worker(), worker()])
  return total
}

/** Until every journal row is in ClickHouse (journal_lag_rows on /metrics). */
async function untilShipped(api: Api): Promise<void> {
  for (;;) {
    const text = await (await api.raw('GET', '/metrics')).text()
    if (Number(/^journal_lag_rows (\d+)/m.exec(text)?.[1] ?? NaN) === 0) return
    await new Promise((r) => setTimeout(r, 200))
  }
}

type Api = ReturnType<typeof createApi>

function createApi(baseUrl: string) {
  const raw = (method: string, path: string, options: { token?: string; body?: unknown; ndjson?: string } = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.ndjson !== undefined ? { 'content-type': 'application/x-ndjson' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.ndjson ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<any> => {
    const res = await raw(method, path, options)
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`)
    return JSON.parse(text)
  }
  /** Until the job is completed (its answer) or failed (an error). */
  const untilDone = async (token: string, id: string): Promise<{ state: string; result?: unknown }> => {
    for (;;) {
      const job = await call('GET', `/v1/jobs/${id}`, { token })
      if (job.state === 'completed') return job
      if (job.state === 'failed') throw new Error(`job ${id} failed: ${JSON.stringify(job)}`)
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  return { raw, call, untilDone }
}
