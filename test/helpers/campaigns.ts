import crypto from 'node:crypto'
import type { ClickHouse } from '../../services/platform/clickhouse'
import type { Postgres } from '../../services/platform/postgres'
import { createCampaign, getCampaign, type Campaign } from '../../services/campaigns/campaigns.repo'

/** A done analytics run of these kinds, straight into analytics_runs; returns its id. */
export async function publishRun(pg: Postgres, kinds: ('profiles' | 'rfm' | 'clv')[], asOf = '2026-06-01T00:00:00Z'): Promise<number> {
  const has = (kind: string) => kinds.includes(kind as never)
  const [row] = await pg.query<{ id: number }>(
    `INSERT INTO analytics_runs (kinds, state, as_of, profile_window_days, rfm_window_days, clv_horizon_months, clv_monthly_discount, finished_at)
     VALUES ($1, 'done', $2, $3, $4, $5, $6, now()) RETURNING id::int AS id`,
    [kinds, asOf, has('profiles') ? 365 : null, has('rfm') ? 365 : null, has('clv') ? 12 : null, has('clv') ? 0.01 : null],
  )
  return row!.id
}

/** A profile as campaign tests need it; the rest of member_profiles' columns keep their defaults. */
export interface ProfileInput {
  member_id: string
  visits?: number
  spend?: string
  avg_basket?: string
  days_since_last_visit?: number
  /** [category, spend] pairs, biggest first. */
  top_categories?: [string, string][]
  /** [sku, spend] pairs. */
  top_skus?: [string, string][]
  lapsed_category?: string
}

export async function insertProfiles(ch: ClickHouse, runId: number, profiles: ProfileInput[]): Promise<void> {
  await ch.client.insert({
    table: 'member_profiles',
    format: 'JSONEachRow',
    values: profiles.map((p) => ({
      run_id: runId,
      member_id: p.member_id,
      visits: p.visits ?? 4,
      spend: p.spend ?? '200.00',
      avg_basket: p.avg_basket ?? '50.00',
      days_since_last_visit: p.days_since_last_visit ?? 10,
      top_categories: (p.top_categories ?? []).map(([category, spend]) => ({ category, spend, share: 0.5, lift: 1 })),
      top_skus: (p.top_skus ?? []).map(([sku, spend]) => ({ sku, spend, quantity: '1.000', visits: 1 })),
      lapsed_category: p.lapsed_category ?? '',
    })),
  })
}

/**
 * A member straight into Postgres: active with personalised_offers consent granted unless told
 * otherwise (`consent: null` for no consent row), on `tier` (bronze, the entry tier, by default).
 */
export async function makeCandidate(
  pg: Postgres,
  options: { status?: 'active' | 'anonymous' | 'blocked'; consent?: boolean | null; tier?: string; cards?: string[] } = {},
): Promise<string> {
  const id = `mem_${crypto.randomBytes(16).toString('hex')}`
  await pg.query('INSERT INTO members (id, status) VALUES ($1, $2)', [id, options.status ?? 'active'])
  if (options.consent !== null) {
    await pg.query(`INSERT INTO member_consents (member_id, channel, granted, source) VALUES ($1, 'personalised_offers', $2, 'member')`, [id, options.consent ?? true])
  }
  if (options.tier) await pg.query('UPDATE point_accounts SET tier = $2 WHERE member_id = $1', [id, options.tier])
  for (const card of options.cards ?? []) await pg.query('INSERT INTO cards (card_number, member_id) VALUES ($1, $2)', [card, id])
  return id
}

/** `count` consenting active members in one statement each (their ids sort like their numbers). */
export async function makeCandidates(pg: Postgres, count: number, prefix = crypto.randomBytes(4).toString('hex')): Promise<string[]> {
  const rows = await pg.query<{ id: string }>(
    `INSERT INTO members (id, status) SELECT 'mem_' || $1 || '_' || lpad(n::text, 7, '0'), 'active' FROM generate_series(1, $2::int) n RETURNING id`,
    [prefix, count],
  )
  const ids = rows.map((r) => r.id).sort()
  await pg.query(`INSERT INTO member_consents (member_id, channel, granted, source) SELECT unnest($1::text[]), 'personalised_offers', true, 'member'`, [ids])
  return ids
}

/** Valid campaign fields with overrides. */
export function campaignInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Spring baby offer',
    offer: { kind: 'percent', value: '10', max_discount: '5.00', scope: { type: 'category' } },
    personalisation: 'top_category',
    holdout_share: 0,
    valid_from: '2026-06-01T00:00:00Z',
    valid_until: '2026-06-30T00:00:00Z',
    ...overrides,
  }
}

/** A draft campaign through the repo, read back as code reads it. */
export async function makeCampaign(pg: Postgres, overrides: Record<string, unknown> = {}): Promise<Campaign> {
  const view = await createCampaign(pg, campaignInput(overrides), {
    actor: { type: 'staff', id: 'usr_test' },
    now: new Date('2026-05-01T00:00:00Z'),
    frequencyCap: 3,
  })
  return getCampaign(pg, view.id)
}

/** `count` coupons of another campaign issued to the member at `at`. */
export async function giveCoupons(pg: Postgres, memberId: string, count: number, at: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    // One coupon per member and campaign: each offer is of an earlier campaign of its own.
    const other = await makeCampaign(pg, { name: `Earlier campaign ${i}` })
    await pg.query(
      `INSERT INTO coupons (code, campaign_id, member_id, kind, value, valid_from, valid_until, issued_at)
       VALUES ($1, $2, $3, 'amount', 1, $4, $4::timestamptz + interval '30 days', $4)`,
      [crypto.randomBytes(8).toString('hex'), other.id, memberId, at],
    )
  }
}
