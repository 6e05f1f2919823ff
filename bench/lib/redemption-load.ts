import autocannon from 'autocannon'
import { newCouponCodes } from '../../services/campaigns/coupon-codes'
import type { Postgres } from '../../services/platform/postgres'
import { benchCard } from './baskets'

/**
 * The redemption section of `bench:campaigns`: single swipes through POST /v1/swipes carrying
 * one coupon code each (every code fresh, so every one is applied), against the same swipes
 * without codes as the baseline. Coupons are written straight into Postgres (campaigns × cards,
 * one coupon per member per campaign), valid now, with no budget cap.
 */
export interface RedemptionLoadOptions {
  base: string
  /** A till key of a store on the platform. */
  key: string
  /** The platform's database (for the coupons and the count of redeemed ones). */
  pg: Postgres
  seconds: number
  connections: number
  /** Cards the swipes are drawn from; coupons = cards × campaigns must outlast the run. */
  cards?: number
  campaigns?: number
}

export interface LoadFigures {
  rps: number
  p50: number
  p99: number
  non2xx: number
  /** Answers whose coupon came back `applied`, by txn id. */
  applied: Set<string>
  /** Swipes sent but not answered: in flight when the run's time was up (autocannon drops them). */
  unanswered: Set<string>
}

export interface RedemptionFigures {
  baseline: LoadFigures
  coupons: LoadFigures
  /** Coupons the database holds as redeemed by the coupon run's swipes. */
  redeemed: number
  /** Redeemed by a swipe that was answered, but the answer did not say applied (or the reverse): must be 0. */
  mismatched: number
  /** Redeemed by a swipe cut off at the end of the run (no answer to compare with). */
  redeemedUnanswered: number
}

export async function redemptionLoad(o: RedemptionLoadOptions): Promise<RedemptionFigures> {
  const cards = o.cards ?? 2000
  const campaigns = o.campaigns ?? 40
  const run = `r${Date.now().toString(36)}`
  await registerCards(o, cards, run)
  const pairs = await issue(o.pg, cards, campaigns)
  // The baseline: the same cards and baskets, without codes (as many bodies as the coupon run has).
  const baseline = await load(o, swipes(`${run}-base`, pairs.length, () => [], (i) => pairs[i]!.card))
  // Every campaign's coupons in turn: concurrent redemptions meet on one campaign row, as at a launch's peak.
  const coupons = await load(o, swipes(`${run}-cpn`, pairs.length, (i) => [pairs[i]!.code], (i) => pairs[i]!.card))
  // The swipes cut off at the end may still be committing on the server: let them finish before counting.
  await new Promise((resolve) => setTimeout(resolve, 2000))
  const rows = await o.pg.query<{ txn: string }>("SELECT redeemed_txn_id AS txn FROM coupons WHERE state = 'redeemed' AND redeemed_txn_id LIKE $1", [`${run}-cpn-%`])
  const redeemedTxns = new Set(rows.map((r) => r.txn))
  let mismatched = 0
  let redeemedUnanswered = 0
  for (const txn of redeemedTxns) {
    if (coupons.unanswered.has(txn)) redeemedUnanswered++
    else if (!coupons.applied.has(txn)) mismatched++
  }
  for (const txn of coupons.applied) if (!redeemedTxns.has(txn)) mismatched++
  return { baseline, coupons, redeemed: redeemedTxns.size, mismatched, redeemedUnanswered }
}

/** One swipe per card, so each card has its (anonymous) member before coupons are issued to it. */
async function registerCards(o: RedemptionLoadOptions, cards: number, run: string): Promise<void> {
  const all = [...swipes(`${run}-reg`, cards, () => [], (i) => benchCard(900_000 + i))]
  for (let i = 0; i < all.length; i += 1000) {
    const res = await fetch(`${o.base}/v1/swipes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.key}` },
      body: `[${all.slice(i, i + 1000).join(',')}]`,
    })
    if (!res.ok) throw new Error(`registering bench cards: ${res.status}`)
  }
}

/** `campaigns` campaigns, each with one 10 % coupon for every bench card's member; the (card, code) pairs, shuffled by campaign. */
async function issue(pg: Postgres, cards: number, campaigns: number): Promise<{ card: string; code: string }[]> {
  const numbers = Array.from({ length: cards }, (_, i) => benchCard(900_000 + i))
  const members = await pg.query<{ card_number: string; member_id: string }>('SELECT card_number, member_id FROM cards WHERE card_number = ANY ($1::text[])', [numbers])
  const pairs: { card: string; code: string }[] = []
  for (let c = 0; c < campaigns; c++) {
    const [campaign] = await pg.query<{ id: string }>(
      `INSERT INTO campaigns (name, state, audience, offer, personalisation, holdout_share, frequency_cap, valid_from, valid_until, created_by)
       VALUES ('bench redemption', 'launched', '{}', '{"kind":"percent","value":"10.00","scope":{"type":"basket"},"min_basket":"0.00"}',
               'none', 0.1, 100, now() - interval '1 day', now() + interval '30 days', 'bench') RETURNING id`,
    )
    const codes = newCouponCodes(members.length)
    await pg.query(
      `INSERT INTO coupons (code, campaign_id, member_id, kind, value, valid_from, valid_until)
       SELECT code, $1, member_id, 'percent', 10, now() - interval '1 day', now() + interval '30 days'
       FROM unnest($2::text[], $3::text[]) AS t (code, member_id)`,
      [campaign!.id, codes, members.map((m) => m.member_id)],
    )
    members.forEach((m, i) => pairs.push({ card: m.card_number, code: codes[i]! }))
  }
  return pairs
}

/** Sales of one line each, occurred a minute ago (inside the coupons' validity). */
function* swipes(prefix: string, count: number, codes: (i: number) => string[], card: (i: number) => string): Generator<string> {
  const at = new Date(Date.now() - 60_000).toISOString()
  for (let i = 0; i < count; i++) {
    yield JSON.stringify({
      txn_id: `${prefix}-${i}`,
      terminal_id: 'till-1',
      card_number: card(i),
      occurred_at: at,
      currency: 'USD',
      kind: 'sale',
      lines: [{ sku: `SKU-${i % 500}`, category: 'Dairy', quantity: '2', unit_price: '3.25' }],
      total: '6.50',
      coupon_codes: codes(i),
    })
  }
}

async function load(o: RedemptionLoadOptions, bodies: Generator<string>): Promise<LoadFigures> {
  const applied = new Set<string>()
  const unanswered = new Set<string>()
  // One request in flight per connection (no pipelining), so a connection's context names the
  // txn its next answer belongs to; autocannon resets the context before each request.
  type Context = { txn?: string }
  const result = await autocannon({
    url: `${o.base}/v1/swipes`,
    connections: o.connections,
    duration: o.seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${o.key}` },
        setupRequest: (req, context) => {
          const body = bodies.next()
          // Out of fresh coupons: the rest of the run would measure refusals, not redemptions.
          if (body.done) throw new Error('the bench ran out of coupons: raise cards or campaigns')
          const txn = (JSON.parse(body.value) as { txn_id: string }).txn_id
          ;(context as Context).txn = txn
          unanswered.add(txn)
          return { ...req, body: body.value }
        },
        onResponse: (status, body, context) => {
          const txn = (context as Context).txn
          if (txn === undefined) return
          unanswered.delete(txn)
          if (status >= 300) return
          const answer = JSON.parse(body) as { coupons?: { status: string }[] }
          if (answer.coupons?.[0]?.status === 'applied') applied.add(txn)
        },
      },
    ],
  })
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, applied, unanswered }
}
