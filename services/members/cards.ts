/**
 * Cards at the service desk: attaching a card to a member (merging the card's anonymous
 * member into them when it has one), and blocking a lost card with an optional replacement.
 * Points and history live on the member, never on the card, so neither moves a balance.
 */
import { audit } from '../platform/audit'
import { AppError } from '../platform/http/errors'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { maskCardNumber } from '../ingest/card-number'
import { insertCard, lockCardAndMembers, notChangeable, requireMemberDetail, type CardView, type MemberDetail } from './members.repo'
import type { BlockCard } from './members.schemas'
import { mergeMembers, type MergeSummary } from './merge-members'
import type { MemberContext } from './register-member'

export interface CardContext extends MemberContext {
  expiryMonths: number
}

export interface AttachResult {
  /** 'created': a new card; 'merged': the card's anonymous member was merged in; 'unchanged': already theirs. */
  outcome: 'created' | 'merged' | 'unchanged'
  merge: MergeSummary | null
  member: MemberDetail
}

/** POST /v1/members/:id/cards, in one transaction. */
export async function attachCardToMember(pg: Postgres, memberId: string, cardNumber: string, ctx: CardContext): Promise<AttachResult> {
  return pg.transaction(async (tx) => {
    const { outcome, merge } = await attachCard(tx, memberId, cardNumber, ctx, {})
    return { outcome, merge, member: await requireMemberDetail(tx, memberId) }
  })
}

/**
 * Attaches a card to a registered member, in the caller's transaction: a new card is created
 * for them; a card of an anonymous member merges that member in (its points and history come
 * along); a blocked card or one of another registered member is a 409. An anonymous member may
 * only receive a new card (a replacement for their own lost one).
 */
async function attachCard(
  tx: Tx,
  memberId: string,
  cardNumber: string,
  ctx: CardContext,
  /** The card being replaced, when this is a replacement. */
  opts: { replacing?: string },
): Promise<{ outcome: AttachResult['outcome']; merge: MergeSummary | null }> {
  const masked = maskCardNumber(cardNumber)
  const { card, members } = await lockCardAndMembers(tx, cardNumber, [memberId])
  const member = members.find((m) => m.id === memberId)
  if (!member) throw AppError.notFound(`no member ${memberId}`)
  const newCardForAnonymous = member.status === 'anonymous' && !card && opts.replacing !== undefined
  if (!newCardForAnonymous) {
    const refusal = notChangeable(member) ?? (member.status === 'blocked' ? AppError.conflict(`member ${memberId} is blocked`) : undefined)
    if (refusal) throw refusal
  }
  if (card?.status === 'blocked') throw AppError.conflict(`card ${masked} is blocked; a blocked card cannot be attached again`)
  if (card?.member_id === memberId) return { outcome: 'unchanged', merge: null }
  if (card && card.member_status !== 'anonymous') throw AppError.conflict(`card ${masked} belongs to another registered member; merge the members instead`)

  let merge: MergeSummary | null = null
  if (!card) {
    if (!(await insertCard(tx, cardNumber, memberId, ctx.now))) throw AppError.conflict(`a till recorded card ${masked} a moment ago; send the request again`)
  } else {
    const reason = opts.replacing ? `replacement card ${masked} for ${maskCardNumber(opts.replacing)}` : `card ${masked} attached`
    merge = await mergeMembers(tx, { targetId: memberId, sourceId: card.member_id, reason, actor: ctx.actor, requestId: ctx.requestId, now: ctx.now, expiryMonths: ctx.expiryMonths })
  }
  await audit(tx, {
    actor: ctx.actor,
    action: 'card.attach',
    entity: { type: 'card', id: cardNumber },
    before: card ? { member_id: card.member_id, status: card.status } : null,
    after: { member_id: memberId, status: 'active', merged_from: merge?.from_member_id ?? null },
    requestId: ctx.requestId,
  })
  return { outcome: card ? 'merged' : 'created', merge }
}

export interface BlockResult {
  card: CardView & { member_id: string }
  replacement: { card_number: string; outcome: AttachResult['outcome'] } | null
  member: MemberDetail
}

/**
 * POST /v1/cards/:card_number/block: the card stops (status 'blocked', blocked_at), and the
 * replacement, if given, is attached to the same member and named in replaced_by. The member's
 * balance and history stay as they are: they belong to the member, not the card.
 */
export async function blockCard(pg: Postgres, cardNumber: string, input: BlockCard, ctx: CardContext): Promise<BlockResult> {
  return pg.transaction(async (tx) => {
    const { card } = await lockCardAndMembers(tx, cardNumber, [])
    if (!card) throw AppError.notFound(`no card ${maskCardNumber(cardNumber)}`)
    if (card.status === 'blocked') throw AppError.conflict(`card ${maskCardNumber(cardNumber)} is already blocked`)
    const replacementNumber = input.replacement_card_number
    if (replacementNumber === cardNumber) {
      throw AppError.badRequest('a card cannot replace itself', [{ path: '$.replacement_card_number', message: 'is the card being blocked' }])
    }
    const attached = replacementNumber
      ? await attachCard(tx, card.member_id, replacementNumber, ctx, { replacing: cardNumber })
      : undefined
    const [blocked] = await tx.query<{ card_number: string; status: 'blocked'; member_id: string; first_seen_at: Date; blocked_at: Date; replaced_by: string | null }>(
      sql('postgres/queries/members/block-card'),
      [cardNumber, ctx.now, replacementNumber ?? null],
    )
    const view = { ...blocked!, first_seen_at: blocked!.first_seen_at.toISOString(), blocked_at: blocked!.blocked_at.toISOString() }
    await audit(tx, {
      actor: ctx.actor,
      action: 'card.block',
      entity: { type: 'card', id: cardNumber },
      before: { member_id: card.member_id, status: card.status },
      after: { member_id: view.member_id, status: view.status, blocked_at: view.blocked_at, replaced_by: view.replaced_by, reason: input.reason },
      requestId: ctx.requestId,
    })
    return {
      card: view,
      replacement: replacementNumber && attached ? { card_number: replacementNumber, outcome: attached.outcome } : null,
      member: await requireMemberDetail(tx, card.member_id),
    }
  })
}
