import crypto from 'node:crypto'
import { hashSecret } from '../../services/platform/auth/passwords'
import type { Postgres } from '../../services/platform/postgres'
import { book, lockAccounts } from '../../services/points/ledger'
import { makeCardNumber } from './factories'

export interface TestMember {
  memberId: string
  cardNumber: string
  email: string | null
  pin: string
}

/**
 * A member straight into the database: active (registered) unless overridden, with one card,
 * an account, and optionally points (booked through the real ledger as a staff adjustment).
 */
export async function makeMember(
  pg: Postgres,
  overrides: { status?: 'anonymous' | 'active' | 'blocked'; name?: string; email?: string | null; pin?: string; points?: number; tier?: string } = {},
): Promise<TestMember> {
  const memberId = `mem_${crypto.randomBytes(16).toString('hex')}`
  const cardNumber = makeCardNumber()
  const status = overrides.status ?? 'active'
  const email = overrides.email === undefined ? (status === 'anonymous' ? null : `${memberId}@member.example`) : overrides.email
  const pin = overrides.pin ?? '4821'
  await pg.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO members (id, status, name, email, secret_hash, registered_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $2 = 'anonymous' THEN NULL ELSE now() END)`,
      [memberId, status, status === 'anonymous' ? null : (overrides.name ?? 'Test Member'), email, status === 'anonymous' ? null : await hashSecret(pin)],
    )
    await tx.query('INSERT INTO cards (card_number, member_id) VALUES ($1, $2)', [cardNumber, memberId])
    const accounts = await lockAccounts(tx, [memberId])
    if (overrides.tier) accounts.get(memberId)!.tier = accounts.get(memberId)!.tierFloor = overrides.tier
    await book(
      tx,
      accounts,
      overrides.points
        ? [{ memberId, kind: 'adjust', points: overrides.points, reason: 'test opening balance', source: { type: 'system', id: 'test' }, occurredAt: new Date() }]
        : [],
      { expiryMonths: 24 },
    )
    if (!overrides.points && overrides.tier) await tx.query('UPDATE point_accounts SET tier = $2, tier_floor = $2 WHERE member_id = $1', [memberId, overrides.tier])
  })
  return { memberId, cardNumber, email, pin }
}

/** Balance, Σ ledger and Σ lots of a member: the invariant is balance = Σ ledger, Σ lots = max(balance, 0). */
export async function pointsState(pg: Postgres, memberId: string): Promise<{ balance: number; ledger: number; lots: number }> {
  const [row] = await pg.query<{ balance: string; ledger: string; lots: string }>(
    `SELECT (SELECT balance FROM point_accounts WHERE member_id = $1) AS balance,
            (SELECT coalesce(sum(points), 0) FROM points_ledger WHERE member_id = $1) AS ledger,
            (SELECT coalesce(sum(remaining), 0) FROM point_lots WHERE member_id = $1) AS lots`,
    [memberId],
  )
  return { balance: Number(row!.balance ?? 0), ledger: Number(row!.ledger), lots: Number(row!.lots) }
}
