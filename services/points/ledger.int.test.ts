import { lockWaiters } from '../../test/helpers/locks'
import crypto from 'node:crypto'
import type { Postgres, Tx } from '../platform/postgres'
import { makeMember, pointsState } from '../../test/helpers/members'
import { createTestPostgres, type TestPostgres } from '../../test/helpers/databases'
import { book, lockAccounts, usablePoints } from './ledger'

let db: TestPostgres
let pg: Postgres
beforeAll(async () => {
  db = await createTestPostgres()
  pg = db.pg
})
afterAll(() => db.drop())

const OPTS = { expiryMonths: 24 }

async function bareMember(): Promise<string> {
  const id = `mem_${crypto.randomBytes(12).toString('hex')}`
  await pg.query('INSERT INTO members (id) VALUES ($1)', [id])
  // The members trigger opens an account at once; these tests need one without.
  await pg.query('DELETE FROM point_accounts WHERE member_id = $1', [id])
  return id
}

const adjust = (memberId: string, points: number) => ({
  memberId,
  kind: 'adjust' as const,
  points,
  reason: 'test',
  source: { type: 'system' as const, id: 'test' },
  occurredAt: new Date(),
})


describe('lockAccounts', () => {
  test('creates a missing account and returns it locked, ready to book', async () => {
    const memberId = await bareMember()
    await pg.transaction(async (tx) => {
      const accounts = await lockAccounts(tx, [memberId, memberId])
      expect(accounts.get(memberId)).toEqual({ memberId, balance: 0, tier: null, tierFloor: null })
      await book(tx, accounts, [adjust(memberId, 40)], OPTS)
    })
    expect(await pointsState(pg, memberId)).toEqual({ balance: 40, ledger: 40, lots: 40 })
  })

  test('a transaction that waited for another to create the account sees it, with its balance', async () => {
    const memberId = await bareMember()
    let releaseFirst!: () => void
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve))
    let firstLocked!: () => void
    const locked = new Promise<void>((resolve) => (firstLocked = resolve))
    const first = pg.transaction(async (tx) => {
      const accounts = await lockAccounts(tx, [memberId])
      firstLocked()
      await firstHolds
      await book(tx, accounts, [adjust(memberId, 25)], OPTS)
    })
    await locked
    const second = pg.transaction(async (tx: Tx) => {
      const accounts = await lockAccounts(tx, [memberId])
      await book(tx, accounts, [adjust(memberId, 5)], OPTS)
      return accounts.get(memberId)!.balance
    })
    await lockWaiters(pg)
    releaseFirst()
    await first
    expect(await second).toBe(30)
    expect(await pointsState(pg, memberId)).toEqual({ balance: 30, ledger: 30, lots: 30 })
  })
})

describe('book', () => {
  test('a negative posting with exact draws empties exactly those lots', async () => {
    const { memberId } = await makeMember(pg, { points: 70 })
    await pg.transaction(async (tx) => book(tx, await lockAccounts(tx, [memberId]), [adjust(memberId, 30)], OPTS))
    const lots = await pg.query<{ id: string; remaining: string }>('SELECT id::text, remaining FROM point_lots WHERE member_id = $1 ORDER BY point_lots.id', [memberId])
    const [first, second] = lots
    await pg.transaction(async (tx) => {
      const accounts = await lockAccounts(tx, [memberId])
      const [booked] = await book(
        tx,
        accounts,
        [{ ...adjust(memberId, -30), kind: 'expire', draws: [{ lotId: second!.id, points: 30 }] }],
        OPTS,
      )
      expect(booked!.draws).toEqual([{ lotId: second!.id, points: 30 }])
    })
    const after = await pg.query<{ id: string; remaining: string }>('SELECT id::text, remaining FROM point_lots WHERE member_id = $1 ORDER BY point_lots.id', [memberId])
    expect(after.map((l) => [l.id, Number(l.remaining)])).toEqual([
      [first!.id, 70],
      [second!.id, 0],
    ])
    expect(await pointsState(pg, memberId)).toEqual({ balance: 70, ledger: 70, lots: 70 })
  })

  test('usablePoints leaves out lots expired at the given instant', async () => {
    const { memberId } = await makeMember(pg, { points: 10 })
    const usableNow = await pg.transaction((tx) => usablePoints(tx, memberId, new Date()))
    const usableIn3Years = await pg.transaction((tx) => usablePoints(tx, memberId, new Date(Date.now() + 3 * 365 * 86_400_000)))
    expect([usableNow, usableIn3Years]).toEqual([10, 0])
  })
})
