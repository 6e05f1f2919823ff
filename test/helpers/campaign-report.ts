import crypto from 'node:crypto'
import { insertTsv, type ClickHouse } from '../../services/platform/clickhouse'
import type { Postgres } from '../../services/platform/postgres'
import { makeCardNumber } from './factories'

/**
 * Fixtures for the campaign report: a launched campaign row straight into Postgres and its
 * assignment, cards and coupon events straight into ClickHouse, as a launch would leave them
 * (without running one: the report must not depend on the launch code).
 */

/** A campaign row, launched unless told otherwise; returns its numeric id as text. */
export async function insertCampaign(
  pg: Postgres,
  fields: { validFrom: string; validUntil: string; state?: 'draft' | 'launching' | 'launched' | 'cancelled'; assigned?: boolean },
): Promise<string> {
  const state = fields.state ?? 'launched'
  const assigned = fields.assigned ?? state !== 'draft'
  const [row] = await pg.query<{ id: string }>(
    `INSERT INTO campaigns (name, state, audience, offer, personalisation, holdout_share, frequency_cap, valid_from, valid_until,
       created_by, assigned_at, launched_at)
     VALUES ($1, $2, '{}', '{"kind":"percent","value":"10.00","scope":{"type":"basket"},"min_basket":"0.00"}', 'none', 0.2, 3, $3, $4,
       'usr_test', $5, $6)
     RETURNING id`,
    [`Report test ${crypto.randomBytes(3).toString('hex')}`, state, fields.validFrom, fields.validUntil, assigned ? fields.validFrom : null, state === 'launched' ? fields.validFrom : null],
  )
  return String(row!.id)
}

/** An assigned member: its group and the cards it held at launch (one new card by default). */
export interface AssignedMember {
  memberId: string
  grp: 'treated' | 'holdout'
  cards: string[]
}

/** `count` members of one group, each with one fresh card. */
export function makeAssigned(grp: AssignedMember['grp'], count: number): AssignedMember[] {
  return Array.from({ length: count }, () => ({ memberId: `mem_${crypto.randomBytes(8).toString('hex')}`, grp, cards: [makeCardNumber()] }))
}

/** campaign_assignments and campaign_cards rows for these members. */
export async function insertAssignments(ch: ClickHouse, campaignId: string, members: AssignedMember[]): Promise<void> {
  const assignments = members.map((m) => [campaignId, m.memberId, m.grp, '', '0.00'].join('\t')).join('\n')
  const cards = members.flatMap((m) => m.cards.map((card) => [campaignId, card, m.memberId].join('\t'))).join('\n')
  await insertTsv(ch.client, 'campaign_assignments', ['campaign_id', 'member_id', 'grp', 'category', 'expected_discount'], assignments)
  await insertTsv(ch.client, 'campaign_cards', ['campaign_id', 'card_number', 'member_id'], cards)
}

/** A coupon event: issued, or redeemed at `at` with `discount` off. */
export interface CouponEvent {
  event: 'issued' | 'redeemed'
  code: string
  memberId: string
  at: string
  discount?: string
}

export async function insertCouponEvents(ch: ClickHouse, campaignId: string, events: CouponEvent[]): Promise<void> {
  const rows = events.map((e) =>
    [campaignId, e.event, e.code, e.memberId, e.at.replace('T', ' ').replace('Z', ''), e.event === 'redeemed' ? 'store-1' : '', e.event === 'redeemed' ? `T-${e.code}` : '', e.discount ?? '0.00'].join('\t'),
  )
  await insertTsv(ch.client, 'coupon_events', ['campaign_id', 'event', 'code', 'member_id', 'at', 'store_id', 'txn_id', 'discount'], rows.join('\n'), {
    insert_deduplication_token: crypto.randomUUID(),
  })
}


/** A standard normal draw from a uniform generator (Box–Muller). */
export function normal(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform())
}
