import { AppError } from '../platform/http/errors'
import type { Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { CONSENT_CHANNELS, type ConsentChannel } from './consent'
import type { ConsentChanges } from './members.schemas'

export type MemberStatus = 'anonymous' | 'active' | 'blocked' | 'merged' | 'erased'

/** A member's row as locked for a change. */
export interface LockedMember {
  id: string
  status: MemberStatus
  merged_into: string | null
  name: string | null
  email: string | null
  phone: string | null
  birthday: string | null
  preferred_store_id: string | null
}

export interface CardView {
  card_number: string
  status: 'active' | 'blocked'
  first_seen_at: string
  blocked_at: string | null
  replaced_by: string | null
}

export interface ConsentView {
  granted: boolean
  /** When it was given or withdrawn; null: never asked. */
  changed_at: string | null
  /** Who recorded it: 'member', 'staff:usr_…', 'import'. */
  source: string | null
}

/** Everything staff see of a member (GET /v1/members/:id for support and admin). */
export interface MemberDetail {
  id: string
  status: MemberStatus
  name: string | null
  email: string | null
  phone: string | null
  birthday: string | null
  preferred_store_id: string | null
  merged_into: string | null
  merged_from: string[]
  /** A PIN or password is set for the member's own sign-in. */
  has_secret: boolean
  created_at: string
  registered_at: string | null
  updated_at: string
  cards: CardView[]
  consents: Record<ConsentChannel, ConsentView>
  points: { balance: number; tier: string | null }
}

interface DetailRow extends LockedMember {
  has_secret: boolean
  created_at: Date
  registered_at: Date | null
  updated_at: Date
  balance: string
  tier: string | null
  cards: { card_number: string; status: CardView['status']; first_seen_at: string; blocked_at: string | null; replaced_by: string | null }[]
  consents: { channel: ConsentChannel; granted: boolean; changed_at: string; source: string }[]
  merged_from: string[]
}

// json_build_object writes timestamps in the session's time zone; answers are always UTC ISO.
const iso = (t: string | null) => (t === null ? null : new Date(t).toISOString())

/** A member's full detail, or undefined. Works on the pool or inside a transaction. */
export async function memberDetail(db: Tx, memberId: string): Promise<MemberDetail | undefined> {
  const [row] = await db.query<DetailRow>(sql('postgres/queries/members/member-detail'), [memberId])
  if (!row) return undefined
  const consents = Object.fromEntries(
    CONSENT_CHANNELS.map((channel) => {
      const c = row.consents.find((k) => k.channel === channel)
      return [channel, c ? { granted: c.granted, changed_at: iso(c.changed_at), source: c.source } : { granted: false, changed_at: null, source: null }]
    }),
  ) as Record<ConsentChannel, ConsentView>
  return {
    id: row.id,
    status: row.status,
    name: row.name,
    email: row.email,
    phone: row.phone,
    birthday: row.birthday,
    preferred_store_id: row.preferred_store_id,
    merged_into: row.merged_into,
    merged_from: row.merged_from,
    has_secret: row.has_secret,
    created_at: row.created_at.toISOString(),
    registered_at: row.registered_at?.toISOString() ?? null,
    updated_at: row.updated_at.toISOString(),
    cards: row.cards.map((c) => ({ ...c, first_seen_at: iso(c.first_seen_at)!, blocked_at: iso(c.blocked_at) })),
    consents,
    points: { balance: Number(row.balance), tier: row.tier },
  }
}

/** The same detail, 404 when there is no such member. */
export async function requireMemberDetail(db: Tx, memberId: string): Promise<MemberDetail> {
  const detail = await memberDetail(db, memberId)
  if (!detail) throw AppError.notFound(`no member ${memberId}`)
  return detail
}

/**
 * What the audit log keeps of a member before and after a change: the profile, the state of
 * each consent and the points (never the secret's hash, only whether one is set).
 */
export function auditSnapshot(m: MemberDetail) {
  return {
    status: m.status,
    name: m.name,
    email: m.email,
    phone: m.phone,
    birthday: m.birthday,
    preferred_store_id: m.preferred_store_id,
    merged_into: m.merged_into,
    has_secret: m.has_secret,
    cards: m.cards.map((c) => `${c.card_number}:${c.status}`),
    consents: Object.fromEntries(CONSENT_CHANNELS.map((c) => [c, m.consents[c].granted])),
    points: m.points,
  }
}

/** Locks members in id order; the rows found (missing ids are absent). */
export async function lockMembers(tx: Tx, ids: string[]): Promise<LockedMember[]> {
  return tx.query<LockedMember>(sql('postgres/queries/members/lock-members'), [[...new Set(ids)].sort()])
}

export interface LockedCard {
  card_number: string
  status: 'active' | 'blocked'
  member_id: string
  member_status: MemberStatus
}

/**
 * Locks `memberIds` and the card's holder (members in id order), then the card: members
 * before cards is the order a merge takes, so a card flow and a merge of its holder wait for
 * each other instead of deadlocking. A card that changed hands between the look and the lock
 * is a 409 (send again).
 */
export async function lockCardAndMembers(tx: Tx, cardNumber: string, memberIds: string[]): Promise<{ card: LockedCard | undefined; members: LockedMember[] }> {
  const [seen] = await tx.query<{ member_id: string }>(sql('postgres/queries/members/find-card'), [cardNumber])
  const members = await lockMembers(tx, seen ? [...memberIds, seen.member_id] : memberIds)
  const [card] = await tx.query<LockedCard>(sql('postgres/queries/members/lock-card'), [cardNumber])
  if (card && card.member_id !== seen?.member_id) throw AppError.conflict('the card changed hands a moment ago; send the request again')
  return { card, members }
}

/** Inserts a new card for a member; false if a till recorded the card first meanwhile. */
export async function insertCard(tx: Tx, cardNumber: string, memberId: string, at: Date): Promise<boolean> {
  const rows = await tx.query(sql('postgres/queries/members/insert-card'), [cardNumber, memberId, at])
  return rows.length > 0
}

/** 400 naming `path` when the store does not exist. */
export async function assertStoreExists(tx: Tx, storeId: string | null | undefined, path: string): Promise<void> {
  if (!storeId) return
  const rows = await tx.query(sql('postgres/queries/members/find-store'), [storeId])
  if (rows.length === 0) throw AppError.badRequest('the request names an unknown store', [{ path, message: `no store ${storeId}` }])
}

/** Sets consents that changed, appending their events; the channels that changed. */
export async function setConsents(tx: Tx, memberId: string, changes: ConsentChanges | undefined, at: Date, source: string): Promise<string[]> {
  const rows = CONSENT_CHANNELS.filter((c) => changes?.[c] !== undefined).map((channel) => ({ channel, granted: changes![channel] }))
  if (rows.length === 0) return []
  const changed = await tx.query<{ channel: string }>(sql('postgres/queries/members/set-consents'), [memberId, JSON.stringify(rows), at, source])
  return changed.map((c) => c.channel)
}

/** 409 when a change would give a member an e-mail another member has. */
export function emailTaken(error: unknown): AppError | undefined {
  if ((error as { constraint?: string }).constraint !== 'members_email') return undefined
  return new AppError(409, 'conflict', 'another member has this e-mail', [{ path: '$.email', message: 'is taken by another member' }])
}

/** Why a member cannot be changed by staff now (merged, erased, anonymous), or undefined. */
export function notChangeable(m: { id: string; status: MemberStatus; merged_into: string | null }): AppError | undefined {
  switch (m.status) {
    case 'merged':
      return AppError.conflict(`member ${m.id} was merged into ${m.merged_into}; change that member instead`)
    case 'erased':
      return AppError.conflict(`member ${m.id} was erased`)
    case 'anonymous':
      return AppError.conflict(`member ${m.id} is anonymous; register them first (POST /v1/members with their card_number)`)
    default:
      return undefined
  }
}

/**
 * A member without personal data or card numbers, for roles that target or count members but
 * must not identify them (marketer): status, consents, points and merge links only.
 */
export function withoutPersonalData(m: MemberDetail) {
  return {
    id: m.id,
    status: m.status,
    merged_into: m.merged_into,
    merged_from: m.merged_from,
    created_at: m.created_at,
    registered_at: m.registered_at,
    consents: m.consents,
    points: m.points,
  }
}
