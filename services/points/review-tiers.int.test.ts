import { createTestPostgres, type TestPostgres } from '../../test/helpers/databases'
import { makeMember, pointsState } from '../../test/helpers/members'
import { reviewTiers } from './review-tiers'

// The default ladder (migration 0002): bronze 0.00, silver 500.00, gold 1500.00.
const NOW = new Date('2026-06-15T10:00:00Z')
let db: TestPostgres

beforeAll(async () => {
  db = await createTestPostgres()
})
afterAll(() => db.drop())

async function spend(memberId: string, days: [string, string][]): Promise<void> {
  for (const [day, amount] of days) await db.pg.query('INSERT INTO member_daily_spend (member_id, day, amount) VALUES ($1, $2, $3)', [memberId, day, amount])
}
const account = async (memberId: string) =>
  (await db.pg.query('SELECT tier, tier_floor FROM point_accounts WHERE member_id = $1', [memberId]))[0]
const changes = (memberId: string) =>
  db.pg.query('SELECT from_tier, to_tier, change, spend_12m, at FROM tier_changes WHERE member_id = $1 ORDER BY id', [memberId])

test('the review moves each account to the tier its 12-month spend supports and sets everyone’s floor', async () => {
  const fallen = await makeMember(db.pg, { tier: 'gold', points: 20 })
  await spend(fallen.memberId, [['2026-01-10', '600.00']])
  // A tier code no longer on the ladder (staff renamed the tiers): the review places it by spend.
  const fresh = await makeMember(db.pg, { tier: 'legacy' })
  const steady = await makeMember(db.pg, { tier: 'silver' })
  await db.pg.query("UPDATE point_accounts SET tier_floor = 'bronze' WHERE member_id = $1", [steady.memberId])
  await spend(steady.memberId, [['2025-12-24', '450.50'], ['2026-06-15', '249.50']])
  const missed = await makeMember(db.pg, { tier: 'bronze' })
  await spend(missed.memberId, [['2026-03-01', '2000.00']])
  // 5,000 on the first day outside the window, 100 on the first day inside it.
  const lapsed = await makeMember(db.pg, { tier: 'gold' })
  await spend(lapsed.memberId, [['2025-06-15', '5000.00'], ['2025-06-16', '100.00'], ['2026-06-16', '9000.00']])

  const progress = await reviewTiers({ pg: db.pg, now: NOW, batchSize: 2 })

  expect(progress).toMatchObject({ accounts: 5, changed: { downgrade: 2, assigned: 1, upgrade: 1 }, batches: 3 })
  expect(await account(fallen.memberId)).toEqual({ tier: 'silver', tier_floor: 'silver' })
  expect(await changes(fallen.memberId)).toEqual([{ from_tier: 'gold', to_tier: 'silver', change: 'downgrade', spend_12m: '600.00', at: NOW }])
  expect(await account(fresh.memberId)).toEqual({ tier: 'bronze', tier_floor: 'bronze' })
  expect(await changes(fresh.memberId)).toEqual([{ from_tier: 'legacy', to_tier: 'bronze', change: 'assigned', spend_12m: '0.00', at: NOW }])
  expect(await account(steady.memberId)).toEqual({ tier: 'silver', tier_floor: 'silver' })
  expect(await changes(steady.memberId)).toEqual([])
  expect(await account(missed.memberId)).toEqual({ tier: 'gold', tier_floor: 'gold' })
  expect(await account(lapsed.memberId)).toEqual({ tier: 'bronze', tier_floor: 'bronze' })
  expect(await changes(lapsed.memberId)).toEqual([expect.objectContaining({ change: 'downgrade', spend_12m: '100.00' })])
  // Tiers move; points do not.
  expect(await pointsState(db.pg, fallen.memberId)).toEqual({ balance: 20, ledger: 20, lots: 20 })

  const again = await reviewTiers({ pg: db.pg, now: NOW })
  expect(again.changed).toEqual({ downgrade: 0, assigned: 0, upgrade: 0 })
  expect(await changes(fallen.memberId)).toHaveLength(1)
})
