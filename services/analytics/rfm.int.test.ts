import { insertSwipes, mapCards } from '../../test/helpers/analytics'
import { fixed, readRfm, runBoth } from '../../test/helpers/analytics-results'
import { chRows, useTestDatabases } from '../../test/helpers/databases'
import { makeCardNumber } from '../../test/helpers/factories'

// RFM (docs/segments.md "RFM") on small datasets; every expected score is worked out by hand:
// score = 1 + floor(5 × (rank − 1) / N), rank over members ordered worse → better, ties on the
// lowest rank. As of Monday 2026-06-01 00:00 UTC, 365-day window (after 2025-06-01 00:00 UTC).

const t = useTestDatabases()

const AS_OF = '2026-06-01T00:00:00Z'
const item = (price: string) => [{ sku: 'A', category: 'Dairy', quantity: '1', unit_price: price }]

test('scores by quintile: the most recent score 5, ties share the lowest score, a returns-only member is not scored, monetary may be ≤ 0', async () => {
  const cards = Array.from({ length: 7 }, makeCardNumber)
  type Seven = [string, string, string, string, string, string, string]
  const [a, b, c, d, e, f, g] = (await Promise.all(cards.map((card) => mapCards(t.db.pg, [card])))) as Seven
  const [cA, cB, cC, cD, cE, cF, cG] = cards as Seven
  const [cSale, dOld, fOld] = await insertSwipes(t.ch, [
    { card: cC, at: '2026-04-01T00:00:00Z', lines: item('10.00') },
    { card: cD, at: '2025-05-01T00:00:00Z', lines: item('10.00') }, // before the window
    { card: cF, at: '2025-05-01T00:00:00Z', lines: item('10.00') }, // before the window
  ])
  await insertSwipes(t.ch, [
    // A: 4 visits × 25.00 = 100.00, last 2026-05-31 → 1 day
    ...['2026-05-01', '2026-05-10', '2026-05-20', '2026-05-31'].map((day) => ({ card: cA, at: `${day}T00:00:00Z`, lines: item('25.00') })),
    // B: 4 visits × 12.50 = 50.00, last 2026-05-31 → 1 day
    ...['2026-05-02', '2026-05-11', '2026-05-21', '2026-05-31'].map((day) => ({ card: cB, at: `${day}T00:00:00Z`, lines: item('12.50') })),
    // C: 2 visits (10.00 on 2026-04-01, 0.00 on 2026-05-01 → 31 days), the 10.00 returned → 0.00
    { card: cC, at: '2026-05-01T00:00:00Z', lines: item('0.00') },
    { card: cC, at: '2026-04-15T00:00:00Z', kind: 'return' as const, original: cSale!.txn, lines: item('10.00') },
    // D: 1 visit of 5.00 on 2026-01-01 (151 days), a return of 10.00 bought before the window → −5.00
    { card: cD, at: '2026-01-01T00:00:00Z', lines: item('5.00') },
    { card: cD, at: '2025-07-01T00:00:00Z', kind: 'return' as const, original: dOld!.txn, lines: item('10.00') },
    // E: 1 visit of 20.00 on 2025-07-01 → 31 + 31 + 30 + 31 + 30 + 31 + 31 + 28 + 31 + 30 + 31 = 335 days
    { card: cE, at: '2025-07-01T00:00:00Z', lines: item('20.00') },
    // F: only a return in the window: no visit, not active
    { card: cF, at: '2026-05-01T00:00:00Z', kind: 'return' as const, original: fOld!.txn, lines: item('10.00') },
    // G: a visit only at exactly as_of − 365 d: outside the window
    { card: cG, at: '2025-06-01T00:00:00Z', lines: item('9.00') },
  ])
  const run = await runBoth(t.db.pg, t.ch, AS_OF)
  const rows = Object.fromEntries((await readRfm(t.ch, run)).map(({ member_id, ...rest }) => [member_id, rest]))

  // N = 5 (A, B, C, D, E); F and G are not scored.
  // R, worse → better (more days first): E 335 (rank 1), D 151 (2), C 31 (3), A 1 and B 1 (4, 4) → 1, 2, 3, 4, 4
  // F, fewer first: D 1 and E 1 (1, 1), C 2 (3), A 4 and B 4 (4, 4) → 1, 1, 3, 4, 4
  // M, less first: D −5.00 (1), C 0.00 (2), E 20.00 (3), B 50.00 (4), A 100.00 (5) → 1, 2, 3, 4, 5
  // Segments: (4, 4) Loyal; (3, 3) Need Attention; (2, 1) and (1, 1) Hibernating.
  expect(rows).toEqual({
    [a]: { recency_days: 1, frequency: 4, monetary: '100.00', r: 4, f: 4, m: 5, segment: 'loyal' },
    [b]: { recency_days: 1, frequency: 4, monetary: '50.00', r: 4, f: 4, m: 4, segment: 'loyal' },
    [c]: { recency_days: 31, frequency: 2, monetary: '0.00', r: 3, f: 3, m: 2, segment: 'need_attention' },
    [d]: { recency_days: 151, frequency: 1, monetary: '-5.00', r: 2, f: 1, m: 1, segment: 'hibernating' },
    [e]: { recency_days: 335, frequency: 1, monetary: '20.00', r: 1, f: 1, m: 3, segment: 'hibernating' },
  })
  expect(Object.keys(rows)).not.toContain(f)
  expect(Object.keys(rows)).not.toContain(g)

  // Segment sizes: Loyal A + B: revenue 150.00, avg R 4, F 4, M (5 + 4) / 2 = 4.5, avg monetary 75.00.
  // Hibernating D + E: revenue −5.00 + 20.00 = 15.00, R (2 + 1) / 2 = 1.5, F 1, M (1 + 3) / 2 = 2, 7.50.
  // Need Attention C alone: 0.00, 3, 3, 2, 0.00.
  const sizes = await chRows<Record<string, any>>(t.ch, 'SELECT * EXCEPT run_id FROM rfm_segment_sizes WHERE run_id = {id:UInt64} ORDER BY segment', { id: run })
  expect(sizes.map((s) => ({ ...s, revenue: fixed(s.revenue, 2), avg_monetary: fixed(s.avg_monetary, 2) }))).toEqual([
    { segment: 'hibernating', members: 2, revenue: '15.00', avg_r: 1.5, avg_f: 1, avg_m: 2, avg_monetary: '7.50' },
    { segment: 'loyal', members: 2, revenue: '150.00', avg_r: 4, avg_f: 4, avg_m: 4.5, avg_monetary: '75.00' },
    { segment: 'need_attention', members: 1, revenue: '0.00', avg_r: 3, avg_f: 3, avg_m: 2, avg_monetary: '0.00' },
  ])
})

test('six of ten members with one visit all score F = 1, and nobody scores 2 or 3 on F', async () => {
  await t.ch.client.command({ query: 'TRUNCATE TABLE swipes' })
  // Visits per member: 1, 1, 1, 1, 1, 1, 2, 3, 4, 5; each member's last visit on a different day.
  const visits = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5]
  const cards = visits.map(() => makeCardNumber())
  const members = await Promise.all(cards.map((card) => mapCards(t.db.pg, [card])))
  await insertSwipes(t.ch, cards.flatMap((card, i) =>
    Array.from({ length: visits[i]! }, (_, k) => ({ card, at: `2026-05-${String(10 + i).padStart(2, '0')}T0${k}:00:00Z`, lines: item('1.00') })),
  ))
  const rows = await readRfm(t.ch, await runBoth(t.db.pg, t.ch, AS_OF))
  const byMember = new Map(rows.map((r) => [r.member_id, r]))
  // F ranks: the six 1-visit members 1; 2 visits 7; 3 visits 8; 4 visits 9; 5 visits 10 (N = 10).
  // Scores 1 + floor(5 (rank − 1) / 10): 1 → 1; 7 → 1 + floor(3) = 4; 8 → 1 + floor(3.5) = 4; 9 → 5; 10 → 5.
  expect(members.map((m) => byMember.get(m)!.f)).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5])
  // R: last visits May 10 00:00 … May 19 04:00 → 22, 21, 20, 19, 18, 17, 15, 14, 13, 12 days; all distinct, ranks 1 … 10 in that order → 1, 1, 2, 2, 3, 3, 4, 4, 5, 5.
  expect(members.map((m) => byMember.get(m)!.r)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
  // Segments (R, F): (1,1) (1,1) Hibernating ×2, (2,1) (2,1) Hibernating ×2, (3,1) (3,1) About to Sleep,
  // (4,4) Loyal, (4,4) Loyal, (5,5) (5,5) Champions.
  expect(members.map((m) => byMember.get(m)!.segment)).toEqual([
    'hibernating', 'hibernating', 'hibernating', 'hibernating', 'about_to_sleep', 'about_to_sleep', 'loyal', 'loyal', 'champions', 'champions',
  ])
})
