import type { Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { TiersSchema, type Tiers } from '../points/tiers.schemas'
import type { Lot } from '../points/lots'
import { CONSENT_CHANNELS } from './consent'

type Db = Tx

export interface Profile {
  id: string
  status: string
  name: string | null
  email: string | null
  phone: string | null
  birthday: string | null
  preferred_store_id: string | null
  registered_at: Date | null
  created_at: Date
  tier: string | null
}

export interface ConsentState {
  channel: string
  granted: boolean
  changed_at: Date | null
  source: string | null
}

export interface LedgerRow {
  id: string
  member_id: string
  kind: string
  points: string
  balance_after: string
  reason: string
  source_type: string
  store_id: string | null
  txn_id: string | null
  occurred_at: Date
  booked_at: Date
  detail: unknown
}

/** Masks all but the last four characters of a card number, as members see their cards. */
export const maskCard = (cardNumber: string) => `${'*'.repeat(Math.max(0, cardNumber.length - 4))}${cardNumber.slice(-4)}`

/** Data access for a member's own pages (sql/postgres/queries/me). */
export const meRepo = {
  async profile(db: Db, memberId: string): Promise<Profile | undefined> {
    const [row] = await db.query<Profile>(sql('postgres/queries/me/profile'), [memberId])
    return row
  },

  async cards(db: Db, memberId: string) {
    const rows = await db.query<{ card_number: string; status: string; first_seen_at: Date; blocked_at: Date | null }>(
      sql('postgres/queries/me/member-cards'),
      [memberId],
    )
    return rows.map((c) => ({ card: maskCard(c.card_number), status: c.status, first_seen_at: c.first_seen_at, blocked_at: c.blocked_at }))
  },

  /** Every channel, given or not: a channel never given reads as not granted, never changed. */
  async consents(db: Db, memberId: string): Promise<ConsentState[]> {
    const rows = await db.query<ConsentState>(sql('postgres/queries/me/member-consents'), [memberId])
    return CONSENT_CHANNELS.map(
      (channel) => rows.find((r) => r.channel === channel) ?? { channel, granted: false, changed_at: null, source: null },
    )
  },

  async account(db: Db, memberId: string): Promise<{ balance: number; tier: string | null; tier_since: Date | null }> {
    const [row] = await db.query<{ balance: string; tier: string | null; tier_since: Date | null }>(sql('postgres/queries/me/point-account'), [memberId])
    return { balance: Number(row?.balance ?? 0), tier: row?.tier ?? null, tier_since: row?.tier_since ?? null }
  },

  /** Net spend (exact, 2 dp) over the 12 months up to `today` (YYYY-MM-DD, UTC). */
  async spend12m(db: Db, memberId: string, today: string): Promise<string> {
    const [row] = await db.query<{ spend: string }>(sql('postgres/queries/me/spend-12m'), [memberId, today])
    return row!.spend
  },

  async tierLadder(db: Db): Promise<Tiers> {
    const [row] = await db.query<{ tiers: unknown }>(sql('postgres/queries/me/newest-tier-ladder'))
    return TiersSchema.parse(row?.tiers)
  },

  /** Lots with points left expiring in (from, until]. */
  async expiringLots(db: Db, memberId: string, from: Date, until: Date): Promise<Lot[]> {
    const rows = await db.query<{ id: string; earned_at: Date; expires_at: Date; remaining: string }>(
      sql('postgres/queries/me/expiring-lots'),
      [memberId, from, until],
    )
    return rows.map((r) => ({ id: r.id, earned_at: r.earned_at.toISOString(), expires_at: r.expires_at.toISOString(), remaining: Number(r.remaining) }))
  },

  /** The member and every member merged into them, the member first. */
  async family(db: Db, memberId: string): Promise<string[]> {
    const rows = await db.query<{ id: string }>(sql('postgres/queries/privacy/member-family'), [memberId])
    return rows.map((r) => r.id)
  },

  async ledgerPage(db: Db, memberIds: string[], beforeId: string | null, limit: number): Promise<LedgerRow[]> {
    return db.query<LedgerRow>(sql('postgres/queries/me/ledger-page'), [memberIds, beforeId, limit])
  },
}
