import type { Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { TiersSchema, type Tiers } from '../points/tiers.schemas'
import type { Lot } from '../points/lots'
import { CONSENT_CHANNELS } from './consent'

type Db = Tx

/** The parsed ladder per database handle (one in production; tests open several). */
const ladders = new WeakMap<Db, { version: number; tiers: Tiers }>()

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

  /**
   * What the balance page shows, in one round trip (balance.sql): account, 12-month spend, the
   * ladder's version (the ladder itself comes from tierLadder, cached by version) and the
   * lots expiring in (from, until]. Null unless the member is active (balance.sql).
   */
  async balance(db: Db, memberId: string, today: string, from: Date, until: Date) {
    const [row] = await db.query<{ balance: string; tier: string | null; tier_since: Date | null; spend_12m: string; tiers_version: number; lots: { id: string; earned_at: string; expires_at: string; remaining: number }[] }>(
      sql('postgres/queries/me/balance'),
      [memberId, today, from, until],
    )
    if (!row) return null
    const lots: Lot[] = row.lots.map((l) => ({ id: l.id, earned_at: new Date(l.earned_at).toISOString(), expires_at: new Date(l.expires_at).toISOString(), remaining: Number(l.remaining) }))
    return { balance: Number(row.balance), tier: row.tier, tier_since: row.tier_since, spend12m: row.spend_12m, tiersVersion: row.tiers_version, lots }
  },

  /** The tier ladder of a version, parsed once per version (staff change it rarely). */
  async tierLadder(db: Db, version: number): Promise<Tiers> {
    let ladder = ladders.get(db)
    if (ladder?.version !== version) {
      const [row] = await db.query<{ version: number; tiers: unknown }>(sql('postgres/queries/me/newest-tier-ladder'))
      ladder = { version: row!.version, tiers: TiersSchema.parse(row!.tiers) }
      ladders.set(db, ladder)
    }
    return ladder.tiers
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
