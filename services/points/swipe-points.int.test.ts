import crypto from 'node:crypto'
import { makeCardNumber, makeSwipe, makeTxnId, totalOf, type LineInput } from '../../test/helpers/factories'
import { makeMember, pointsState } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

let platform: TestPlatform
let store: { storeId: string; keyId: string; key: string }

beforeAll(async () => {
  platform = await startTestPlatform()
  store = await platform.createStore()
})
afterAll(() => platform.close())

const sale = (lines: LineInput[], overrides: Record<string, unknown> = {}) => makeSwipe({ lines, total: totalOf(lines), ...overrides })
const returnOf = (original: { txn_id: string; card_number: string }, lines: LineInput[], overrides: Record<string, unknown> = {}) =>
  makeSwipe({ kind: 'return', original_txn_id: original.txn_id, card_number: original.card_number, lines, total: totalOf(lines), ...overrides })
const postSwipe = async (swipe: object) => json(platform.post('/v1/swipes', swipe, store.key))

async function memberOfCard(cardNumber: string): Promise<string> {
  const [row] = await platform.db.pg.query<{ member_id: string }>('SELECT member_id FROM cards WHERE card_number = $1', [cardNumber])
  return row!.member_id
}

/** A new earning-rules version, as staff would save it (the rules API validates the same schema). */
async function setRules(rules: object): Promise<void> {
  await platform.db.pg.query('INSERT INTO earning_rule_sets (rules) VALUES ($1)', [JSON.stringify(rules)])
}
const BASE = { id: 'rul_base_eur', name: 'Base points', currency: 'EUR', points_per_unit: '1' }

afterEach(() => setRules({ base_rates: [BASE] }))

const MILK: LineInput = { sku: 'MILK-1L', category: 'Dairy', quantity: '3', unit_price: '1.99' }
const BREAD: LineInput = { sku: 'BREAD', category: 'Bakery', quantity: '1', unit_price: '4.50' }

describe('a sale earns points, and the till is told', () => {
  test('the answer carries the points with a breakdown by rule, the new balance and the tier', async () => {
    const swipe = sale([MILK, BREAD])
    const answer = await postSwipe(swipe)
    // 5.97 + 4.50 = 10.47 at 1 point per EUR: 10 points, floored per basket.
    expect(answer).toMatchObject({ points: { earned: 10, breakdown: [{ rule_id: 'rul_base_eur', points: 10 }] }, balance: 10, tier: 'bronze' })
    const second = await postSwipe(sale([BREAD], { card_number: swipe.card_number }))
    expect(second).toMatchObject({ points: { earned: 4 }, balance: 14 })
    expect(await pointsState(platform.db.pg, await memberOfCard(swipe.card_number))).toEqual({ balance: 14, ledger: 14, lots: 14 })
  })

  test('a retry returns the first answer word for word and books nothing, even after the balance moved', async () => {
    const first = sale([BREAD])
    const answer = await postSwipe(first)
    await postSwipe(sale([MILK], { card_number: first.card_number }))
    const retry = await platform.post('/v1/swipes', first, store.key)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(await json(retry)).toEqual(answer)
    expect(await pointsState(platform.db.pg, await memberOfCard(first.card_number))).toEqual({ balance: 9, ledger: 9, lots: 9 })
  })

  test('a swipe from an offline till days late is scored with the rules in force when it happened', async () => {
    await setRules({
      base_rates: [BASE],
      multipliers: [
        {
          id: 'rul_dairy_weekend',
          name: 'Double points on dairy this weekend',
          scope: { type: 'category', category: 'dairy' },
          multiplier: '2',
          valid_from: '2026-11-14T00:00:00+01:00',
          valid_to: '2026-11-16T00:00:00+01:00',
        },
      ],
    })
    const duringWeekend = await postSwipe(sale([MILK], { occurred_at: '2026-11-15T11:00:00+01:00' }))
    const afterWeekend = await postSwipe(sale([MILK], { occurred_at: '2026-11-20T11:00:00+01:00' }))
    expect(duringWeekend.points).toEqual({
      earned: 10,
      breakdown: [
        { rule_id: 'rul_base_eur', name: 'Base points', points: 5 },
        { rule_id: 'rul_dairy_weekend', name: 'Double points on dairy this weekend', points: 5 },
      ],
    })
    expect(afterWeekend.points.earned).toBe(5)
  })

  test('a blocked card keeps its swipe but earns nothing, and says so', async () => {
    const member = await makeMember(platform.db.pg, { points: 50 })
    await platform.db.pg.query("UPDATE cards SET status = 'blocked', blocked_at = now() WHERE card_number = $1", [member.cardNumber])
    const res = await platform.post('/v1/swipes', sale([BREAD], { card_number: member.cardNumber }), store.key)
    expect(res.status).toBe(201)
    expect(await json(res)).toMatchObject({ points: { earned: 0 }, balance: 50, card_status: 'blocked' })
    expect(await pointsState(platform.db.pg, member.memberId)).toEqual({ balance: 50, ledger: 50, lots: 50 })
  })

  test('a member made by any path has an account on the entry tier, so its card earns at once', async () => {
    const cardNumber = makeCardNumber()
    const [member] = await platform.db.pg.query<{ id: string }>("INSERT INTO members (status, name) VALUES ('active', 'Walk-in') RETURNING id")
    await platform.db.pg.query('INSERT INTO cards (card_number, member_id) VALUES ($1, $2)', [cardNumber, member!.id])
    const res = await platform.post('/v1/swipes', sale([BREAD], { card_number: cardNumber }), store.key)
    expect(res.status).toBe(201)
    expect(await json(res)).toMatchObject({ points: { earned: 4 }, balance: 4, tier: 'bronze' })
  })

  test("a registered member's card earns into their account", async () => {
    const member = await makeMember(platform.db.pg, { points: 100, tier: 'silver' })
    const answer = await postSwipe(sale([BREAD], { card_number: member.cardNumber }))
    expect(answer).toMatchObject({ points: { earned: 4 }, balance: 104, tier: 'silver' })
  })
})

describe('a return takes back exactly what its lines earned', () => {
  test('returning the promoted milk reverses the milk points, not a share of the basket', async () => {
    await setRules({
      base_rates: [BASE],
      multipliers: [{ id: 'rul_dairy', name: 'Dairy ×3', scope: { type: 'category', category: 'Dairy' }, multiplier: '3' }],
    })
    const original = sale([MILK, BREAD])
    const earned = await postSwipe(original)
    // Base: floor(10.47) = 10, shared by largest remainder: milk 5 + the spare point (.97 beats
    // .50) = 6, bread 4. Dairy ×3 adds floor(2 × 5.97) = 11, all on the milk: milk 17, bread 4.
    expect(earned.points.earned).toBe(21)
    const milkPoints = 17 // a pro-rata reversal would take 21 × 5.97 / 10.47 ≈ 12
    const back = await postSwipe(returnOf(original, [MILK]))
    expect(back.points.reversed).toBe(milkPoints)
    expect(back.balance).toBe(21 - milkPoints)
    expect(await pointsState(platform.db.pg, await memberOfCard(original.card_number))).toEqual({ balance: 4, ledger: 4, lots: 4 })
  })

  test('returns in several steps reverse, in all, exactly what the sale earned', async () => {
    const lines: LineInput[] = [{ sku: 'EGGS', category: 'Dairy', quantity: '7', unit_price: '0.43' }]
    const original = sale(lines)
    const earned = (await postSwipe(original)).points.earned
    let reversed = 0
    for (const quantity of ['2', '1', '3', '1']) {
      const answer = await postSwipe(returnOf(original, [{ ...lines[0]!, quantity }]))
      reversed += answer.points.reversed
    }
    expect(reversed).toBe(earned)
    expect(await pointsState(platform.db.pg, await memberOfCard(original.card_number))).toEqual({ balance: 0, ledger: 0, lots: 0 })
  })

  test('a return after the points were spent leaves a debt that the next purchase pays off first', async () => {
    const original = sale([{ sku: 'TV', category: 'Electronics', quantity: '1', unit_price: '300.00' }])
    await postSwipe(original)
    const memberId = await memberOfCard(original.card_number)
    // The points are spent: drawn from the lot as a redemption would.
    await platform.db.pg.query('UPDATE point_lots SET remaining = 0 WHERE member_id = $1', [memberId])
    await platform.db.pg.query(
      `INSERT INTO points_ledger (id, member_id, kind, points, balance_after, reason, source_type, occurred_at)
       VALUES (nextval('points_id_blocks') * 1024, $1, 'redeem', -300, 0, 'test spend', 'system', now())`,
      [memberId],
    )
    await platform.db.pg.query('UPDATE point_accounts SET balance = 0 WHERE member_id = $1', [memberId])
    const back = await postSwipe(returnOf(original, [{ sku: 'TV', category: 'Electronics', quantity: '1', unit_price: '300.00' }]))
    expect(back).toMatchObject({ points: { reversed: 300 }, balance: -300 })
    const next = await postSwipe(sale([{ sku: 'SOFA', category: 'Home', quantity: '1', unit_price: '350.00' }], { card_number: original.card_number }))
    expect(next.balance).toBe(50)
    expect(await pointsState(platform.db.pg, memberId)).toEqual({ balance: 50, ledger: 50, lots: 50 })
  })
})

describe('tiers follow the rolling 12-month spend', () => {
  const BIG: LineInput = { sku: 'HAMPER', category: 'Gifts', quantity: '1', unit_price: '520.00' }

  test('an upgrade takes effect at once, and a return that undoes the spend undoes the upgrade', async () => {
    const original = sale([BIG])
    const answer = await postSwipe(original)
    expect(answer.tier).toBe('silver')
    const memberId = await memberOfCard(original.card_number)
    const back = await postSwipe(returnOf(original, [BIG]))
    expect(back.tier).toBe('bronze')
    const changes = await platform.db.pg.query<{ from_tier: string; to_tier: string; change: string }>(
      'SELECT from_tier, to_tier, change FROM tier_changes WHERE member_id = $1 ORDER BY id',
      [memberId],
    )
    expect(changes).toEqual([
      { from_tier: 'bronze', to_tier: 'silver', change: 'upgrade' },
      { from_tier: 'silver', to_tier: 'bronze', change: 'reversal' },
    ])
  })

  test('a return never takes the tier below the one held at the last review', async () => {
    const member = await makeMember(platform.db.pg, { tier: 'silver' })
    const original = sale([BIG], { card_number: member.cardNumber })
    expect((await postSwipe(original)).tier).toBe('silver')
    expect((await postSwipe(returnOf(original, [BIG]))).tier).toBe('silver')
  })

  test('on 29 February the window is the one the balance page and the tier review use', async () => {
    // Postgres: 2024-02-29 minus 12 months is 2023-02-28, so spend on 2023-03-01 counts.
    const leap = await startTestPlatform({ clock: () => new Date('2024-02-29T12:00:00Z') })
    try {
      const till = await leap.createStore()
      const member = await makeMember(leap.db.pg)
      const answer = await json(leap.post('/v1/swipes', sale([BIG], { card_number: member.cardNumber, occurred_at: '2023-03-01T10:00:00+00:00' }), till.key))
      expect(answer.tier).toBe('silver')
      const page = await json(leap.request('GET', '/v1/me/balance', { token: leap.memberToken(member.memberId) }))
      expect(page.tier_progress.spend_12m).toBe('520.00')
      expect(page.tier.code).toBe('silver')
    } finally {
      await leap.close()
    }
  })

  test('spend older than 12 months does not count towards a tier', async () => {
    const answer = await postSwipe(sale([BIG], { occurred_at: '2025-10-01T10:00:00+00:00' }))
    expect(answer.tier).toBe('bronze')
  })
})

test('after a randomized concurrent workload, every balance equals its ledger and its lots', async () => {
  const cards = Array.from({ length: 6 }, () => makeCardNumber())
  const rnd = (n: number) => crypto.randomInt(0, n)
  const sales = Array.from({ length: 120 }, () =>
    sale(
      Array.from({ length: 1 + rnd(3) }, (_, i) => ({ sku: `SKU-${rnd(5)}-${i}`, category: ['Dairy', 'Bakery', 'Home'][rnd(3)]!, quantity: String(1 + rnd(4)), unit_price: `${rnd(40)}.${rnd(100)}` })),
      { card_number: cards[rnd(cards.length)] },
    ),
  )
  // Sales in concurrent batches and singles, so group commit mixes members across groups.
  await Promise.all([
    ...sales.slice(0, 60).map((s) => platform.post('/v1/swipes', s, store.key)),
    platform.post('/v1/swipes', sales.slice(60), store.key),
  ])
  const returns = sales
    .filter(() => rnd(2) === 0)
    .map((s) => returnOf(s, [{ ...s.lines[0]!, quantity: '1' }], { txn_id: makeTxnId() }))
  const answers = await Promise.all(returns.map((r) => postSwipe(r)))
  expect(answers.every((a) => typeof a.points?.reversed === 'number')).toBe(true)
  for (const card of cards) {
    const state = await pointsState(platform.db.pg, await memberOfCard(card))
    expect(state.balance).toBe(state.ledger)
    expect(state.lots).toBe(Math.max(state.balance, 0))
  }
  const [totals] = await platform.db.pg.query<{ earned: string; reversed: string }>(
    `SELECT sum(points) FILTER (WHERE kind = 'earn') AS earned, -sum(points) FILTER (WHERE kind = 'reverse') AS reversed
     FROM points_ledger WHERE member_id IN (SELECT member_id FROM cards WHERE card_number = ANY ($1))`,
    [cards],
  )
  const stored = await platform.db.pg.query<{ answer: { points: { earned?: number; reversed?: number } } }>(
    'SELECT answer FROM ingest_journal WHERE card_number = ANY ($1)',
    [cards],
  )
  // What the tills were told adds up to what the ledger booked.
  expect(Number(totals!.earned)).toBe(stored.reduce((sum, r) => sum + (r.answer.points.earned ?? 0), 0))
  expect(Number(totals!.reversed ?? 0)).toBe(stored.reduce((sum, r) => sum + (r.answer.points.reversed ?? 0), 0))
})

test('with POINTS_SCORING off, swipes are recorded with their cards and members but book no points', async () => {
  const plain = await startTestPlatform({ config: { POINTS_SCORING: 'off' } })
  try {
    const till = await plain.createStore()
    const swipe = sale([MILK, BREAD])
    const answer = await json(plain.post('/v1/swipes', swipe, till.key))
    expect(answer).toMatchObject({ txn_id: swipe.txn_id, total: '10.47' })
    expect(answer.points).toBeUndefined()
    const [row] = await plain.db.pg.query<{ status: string; entries: string }>(
      `SELECT m.status, (SELECT count(*) FROM points_ledger l WHERE l.member_id = m.id) AS entries
       FROM cards c JOIN members m ON m.id = c.member_id WHERE c.card_number = $1`,
      [swipe.card_number],
    )
    expect(row).toEqual({ status: 'anonymous', entries: '0' })
  } finally {
    await plain.close()
  }
})
