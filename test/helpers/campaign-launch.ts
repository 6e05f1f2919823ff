import crypto from 'node:crypto'
import type { Offer, Personalisation } from '../../services/campaigns/campaign.schemas'
import { insertTsv, type ClickHouse } from '../../services/platform/clickhouse'
import type { Postgres } from '../../services/platform/postgres'

/**
 * Launch tests without the audience: a draft campaign and consenting members straight into
 * Postgres, and an assignment written straight into ClickHouse's campaign_assignments (as
 * assign.ts would), with assigned_at set so the launch skips its assign stage.
 */

const DAY = 86_400_000

export interface DraftOverrides {
  name?: string
  offer?: Offer
  personalisation?: Personalisation
  validFrom?: Date
  validUntil?: Date
}

/** A draft campaign; 10 % off the basket, valid from a day ago for 30 days, unless told otherwise. */
export async function makeDraft(pg: Postgres, o: DraftOverrides = {}): Promise<number> {
  const offer: Offer = o.offer ?? { kind: 'percent', value: '10.00', max_discount: '20.00', scope: { type: 'basket' }, min_basket: '15.00' }
  const from = o.validFrom ?? new Date(Date.now() - DAY)
  const [row] = await pg.query<{ id: string }>(
    `INSERT INTO campaigns (name, audience, offer, personalisation, holdout_share, frequency_cap, valid_from, valid_until, created_by)
     VALUES ($1, '{}', $2, $3, 0.1, 3, $4, $5, 'usr_test') RETURNING id`,
    [o.name ?? `Campaign ${crypto.randomBytes(3).toString('hex')}`, JSON.stringify(offer), o.personalisation ?? 'none', from, o.validUntil ?? new Date(from.getTime() + 30 * DAY)],
  )
  return Number(row!.id)
}

/** `count` active members who consented to personalised offers, in one statement; their ids, sorted. */
export async function makeConsentingMembers(pg: Postgres, count: number): Promise<string[]> {
  const prefix = `mem_${crypto.randomBytes(6).toString('hex')}`
  const rows = await pg.query<{ id: string }>(
    `WITH m AS (
       INSERT INTO members (id, status, registered_at)
       SELECT $1 || lpad(i::text, 8, '0'), 'active', now() FROM generate_series(1, $2) i
       RETURNING id)
     INSERT INTO member_consents (member_id, channel, granted, source)
     SELECT id, 'personalised_offers', true, 'import' FROM m
     RETURNING member_id AS id`,
    [prefix, count],
  )
  return rows.map((r) => r.id).sort()
}

export interface TestAssignment {
  memberId: string
  grp: 'treated' | 'holdout'
  /** The personal category ('' when the offer is not by category). */
  category?: string
}

/**
 * The campaign as assigned: rows into campaign_assignments, and the campaign row 'launching'
 * (or left a draft, for the launch route) with assigned_at and the group sizes, as the launch records them after assignAudience.
 */
export async function assignDirectly(
  pg: Postgres,
  ch: ClickHouse,
  campaignId: number,
  rows: TestAssignment[],
  options: { state?: 'draft' | 'launching' } = {},
): Promise<void> {
  const text = rows.map((r) => `${campaignId}\t${r.memberId}\t${r.grp}\t${r.category ?? ''}\t1.00`).join('\n')
  await insertTsv(ch.client, 'campaign_assignments', ['campaign_id', 'member_id', 'grp', 'category', 'expected_discount'], text, {
    insert_deduplication_token: crypto.randomUUID(),
  })
  const treated = rows.filter((r) => r.grp === 'treated').length
  await pg.query(`UPDATE campaigns SET state = $4, assigned_at = now(), treated = $2, holdout = $3 WHERE id = $1`, [
    campaignId,
    treated,
    rows.length - treated,
    options.state ?? 'launching',
  ])
}

/** Withdraws a member's consent to personalised offers (as PATCH /v1/me/consents would). */
export async function withdrawOffers(pg: Postgres, memberId: string): Promise<void> {
  await pg.query(`UPDATE member_consents SET granted = false, changed_at = now() WHERE member_id = $1 AND channel = 'personalised_offers'`, [memberId])
}
