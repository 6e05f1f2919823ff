/**
 * Merging one member (the source) into another (the target), in the caller's transaction:
 * a staff action (POST /v1/members/:id/merge) and what attaching an anonymous card does.
 * Rules: docs/members.md. Points move through the ledger (services/points/ledger.ts): the
 * source's lots are moved first, then a 'merge_out' of −balance that draws nothing and a
 * 'merge_in' of +balance that opens no lot, so balance = Σ ledger and Σ lots = max(balance, 0)
 * hold on both members afterwards.
 */
import { audit, type Actor } from '../platform/audit'
import { AppError } from '../platform/http/errors'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { book, lockAccounts, type Account, type Posting } from '../points/ledger'
import { auditSnapshot, lockMembers, requireMemberDetail, type LockedMember, type MemberDetail } from './members.repo'

export interface MergeInput {
  targetId: string
  sourceId: string
  reason: string
  actor: Actor
  requestId?: string
  now: Date
  expiryMonths: number
}

export interface MergeSummary {
  from_member_id: string
  into_member_id: string
  points_moved: number
  lots_moved: number
  cards_moved: string[]
  spend_days_moved: number
  tier: string | null
}

/** POST /v1/members/:id/merge: the merge in its own transaction, and the target as it is after. */
export async function mergeMembersNow(pg: Postgres, input: MergeInput): Promise<{ merge: MergeSummary; member: MemberDetail }> {
  return pg.transaction(async (tx) => {
    const merge = await mergeMembers(tx, input)
    return { merge, member: await requireMemberDetail(tx, input.targetId) }
  })
}

/** Merges source into target, in the caller's transaction; 400 for itself, 404 for unknown ids, 409 for merged/erased members. */
export async function mergeMembers(tx: Tx, input: MergeInput): Promise<MergeSummary> {
  const { targetId, sourceId, now } = input
  if (targetId === sourceId) {
    throw AppError.badRequest('a member cannot be merged into itself', [{ path: '$.from_member_id', message: 'is the member merged into' }])
  }
  const locked = await lockMembers(tx, [targetId, sourceId])
  const target = locked.find((m) => m.id === targetId)
  const source = locked.find((m) => m.id === sourceId)
  if (!target) throw AppError.notFound(`no member ${targetId}`)
  if (!source) throw AppError.notFound(`no member ${sourceId}`)
  checkMergeable(target, source)
  const before = { target: auditSnapshot(await requireMemberDetail(tx, targetId)), source: auditSnapshot(await requireMemberDetail(tx, sourceId)) }

  await tx.query(sql('postgres/queries/members/merge-lock-redemptions'), [sourceId])
  const accounts = await lockAccounts(tx, [targetId, sourceId])
  const moved = await moveHoldings(tx, targetId, sourceId)
  const tier = await keepHigherTier(tx, accounts.get(targetId)!, accounts.get(sourceId)!, now)
  const balance = accounts.get(sourceId)!.balance
  const by = input.actor.type === 'staff' ? 'staff' : 'system'
  const postings: Posting[] = [
    // The lots were moved already: the source's negative entry must draw nothing.
    { memberId: sourceId, kind: 'merge_out', points: -balance, ...(balance > 0 ? { draws: [] } : {}), reason: input.reason, source: { type: by, id: targetId }, occurredAt: now, detail: { into: targetId, actor: input.actor.id } },
    // Opens no lot (the moved lots hold these points); pays off any debt of the target from them.
    { memberId: targetId, kind: 'merge_in', points: balance, openLot: false, reason: input.reason, source: { type: by, id: sourceId }, occurredAt: now, detail: { from: sourceId, actor: input.actor.id } },
  ]
  await book(tx, accounts, postings, { expiryMonths: input.expiryMonths })

  await tx.query(sql('postgres/queries/members/merge-mark-source'), [sourceId, targetId, now])
  await tx.query(sql('postgres/queries/members/merge-fill-target'), [targetId, source.name, source.email, source.phone, source.birthday, source.preferred_store_id, now])

  const summary: MergeSummary = { from_member_id: sourceId, into_member_id: targetId, points_moved: balance, ...moved, tier }
  const after = { target: auditSnapshot(await requireMemberDetail(tx, targetId)), source: auditSnapshot(await requireMemberDetail(tx, sourceId)) }
  const entry = { actor: input.actor, action: 'member.merge', requestId: input.requestId }
  await audit(tx, { ...entry, entity: { type: 'member', id: targetId }, before: { ...before.target, merging: sourceId, reason: input.reason }, after: { ...after.target, merge: summary } })
  await audit(tx, { ...entry, entity: { type: 'member', id: sourceId }, before: before.source, after: { ...after.source, merge: summary } })
  return summary
}

/** The target must be a live registered member; the source anything not already gone. */
function checkMergeable(target: LockedMember, source: LockedMember): void {
  if (target.status === 'merged') throw AppError.conflict(`member ${target.id} was merged into ${target.merged_into}; merge into that member`)
  if (target.status !== 'active') throw AppError.conflict(`member ${target.id} is ${target.status}; only an active registered member can receive a merge`)
  if (source.status === 'merged') throw AppError.conflict(`member ${source.id} was already merged into ${source.merged_into}`)
  if (source.status === 'erased') throw AppError.conflict(`member ${source.id} was erased; there is nothing to merge`)
}

/** Moves lots, cards, daily spend, consents (and their history), redemptions and earlier merges. */
async function moveHoldings(tx: Tx, targetId: string, sourceId: string) {
  const ids = [targetId, sourceId]
  const [lots] = await tx.query<{ lots: number; points: string }>(sql('postgres/queries/members/merge-move-lots'), ids)
  const cards = await tx.query<{ card_number: string }>(sql('postgres/queries/members/merge-move-cards'), ids)
  const days = await tx.query(sql('postgres/queries/members/merge-move-daily-spend'), ids)
  await tx.query(sql('postgres/queries/members/merge-move-consents'), ids)
  await tx.query(sql('postgres/queries/members/merge-copy-consent-events'), ids)
  await tx.query(sql('postgres/queries/members/merge-move-redemptions'), ids)
  await tx.query(sql('postgres/queries/members/merge-flatten'), ids)
  return { lots_moved: lots!.lots, cards_moved: cards.map((c) => c.card_number), spend_days_moved: days.length }
}

/**
 * The target keeps the higher of the two tiers (by the ladder in force; a code no longer on it
 * ranks lowest), and the higher floor, so a merge never costs the survivor a tier. Written by
 * book() with the balance; a change is recorded in tier_changes.
 */
async function keepHigherTier(tx: Tx, target: Account, source: Account, now: Date): Promise<string | null> {
  const ladder = (await tx.query<{ code: string }>(sql('postgres/queries/members/current-tier-codes'))).map((r) => r.code)
  const rank = (code: string | null) => (code === null ? -2 : ladder.indexOf(code))
  const higher = (a: string | null, b: string | null) => (rank(b) > rank(a) ? b : a)
  const tier = higher(target.tier, source.tier)
  target.tierFloor = higher(target.tierFloor, source.tierFloor)
  if (tier !== target.tier) {
    await tx.query(sql('postgres/queries/members/insert-tier-change'), [target.memberId, target.tier, tier, 'upgrade', now])
    target.tier = tier
    target.tierSince = now
  }
  return target.tier
}
