import { insertSwipes, mapCards, type AnalyticsSwipe } from '../../test/helpers/analytics'
import { chRows, useTestDatabases } from '../../test/helpers/databases'
import { makeCardNumber } from '../../test/helpers/factories'
import { conditionalExpectedPurchases, pAlive, type BgNbdParams } from '../clv/bgnbd'
import { discountedExpectedPurchases } from '../clv/clv'
import { expectedSpend, type GammaGammaParams } from '../clv/gamma-gamma'
import { createLogger } from '../platform/logger'
import { runAnalytics } from './run-analytics'

// The CLV stage (docs/clv.md) as of 2025-12-31 (the date T is measured to), 12 months at 1 %.
const t = useTestDatabases()
const logger = createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' })
const AS_OF = '2025-12-31T23:59:59.999Z'
const CLV = { horizonMonths: 12, monthlyDiscount: 0.01, gammaGammaFitMembers: 10_000 }

const sale = (card: string, at: string, price: string, txn?: string): AnalyticsSwipe => ({
  card,
  at,
  txn,
  lines: [{ sku: 'A', category: 'Dairy', quantity: '1', unit_price: price }],
})

/** Members who buy every few days for a while and then stop, or keep buying: a fit with dropout. */
function crowd(cards: string[]): AnalyticsSwipe[] {
  return cards.flatMap((card, i) => {
    const every = 4 + (i % 9)
    const purchases = i % 4 === 0 ? 40 : 1 + (i % 7)
    const start = Date.UTC(2025, 0, 1 + (i % 60), 12)
    return Array.from({ length: purchases }, (_, k) => start + k * every * 86_400_000)
      .filter((t) => t < Date.parse('2025-12-31T00:00:00Z'))
      .map((t) => sale(card, new Date(t).toISOString(), `${3 + (i % 13)}.${String(25 * (k(i) % 4)).padStart(2, '0')}`))
  })
}
const k = (i: number) => (i * 7) % 11

test("each member's history is summarised in local purchase days, and the values follow the fitted models", async () => {
  const [a, b, c] = [makeCardNumber(), makeCardNumber(), makeCardNumber()]
  const memberA = await mapCards(t.db.pg, [a])
  const memberB = await mapCards(t.db.pg, [b])
  await mapCards(t.db.pg, [c])
  const others = Array.from({ length: 120 }, () => makeCardNumber())
  for (const card of others) await mapCards(t.db.pg, [card])
  await insertSwipes(t.ch, [
    // A: 03-01 twice (one purchase day), 03-08 local (03-09 in UTC) with a return that day, 04-01.
    sale(a, '2025-03-01T10:00:00+01:00', '10.00'),
    sale(a, '2025-03-01T18:00:00+01:00', '5.00'),
    sale(a, '2025-03-08T23:30:00-05:00', '20.00', 'A-0308'),
    { card: a, at: '2025-03-08T23:45:00-05:00', kind: 'return', original: 'A-0308', lines: [{ sku: 'A', category: 'Dairy', quantity: '1', unit_price: '4.00' }] },
    sale(a, '2025-04-01T12:00:00Z', '30.00'),
    // B: one purchase; C: only after as_of.
    sale(b, '2025-06-15T09:00:00+02:00', '12.00'),
    sale(c, '2026-01-05T09:00:00Z', '9.00'),
    ...crowd(others),
  ])

  const result = await runAnalytics(
    { pg: t.db.pg, ch: t.ch, logger, clock: () => new Date('2026-01-01T01:00:00Z') },
    { kinds: ['clv'], asOf: new Date(AS_OF), profileWindowDays: 365, rfmWindowDays: 365, clv: CLV },
    { profileKeepRuns: 2, rfmKeepDays: 730 },
  )
  // C bought nothing by as_of: 122 members valued of 123.
  expect(result.valued).toBe(122)
  expect(result.clv?.bgnbd?.converged).toBe(true)
  expect(result.clv?.gamma_gamma?.converged).toBe(true)

  const scores = await chRows<Record<string, number | string | null>>(t.ch, 'SELECT * FROM clv_scores WHERE run_id = {id:UInt64} ORDER BY member_id', { id: result.run_id })
  const byMember = new Map(scores.map((s) => [s.member_id, s]))
  // A: purchase days 03-01, 03-08, 04-01 → x = 2; t_x = 31 days; T = 12-31 − 03-01 = 305 days;
  // repeat days' net spend (20 − 4) + 30 = 46 → m = 23.
  expect(byMember.get(memberA)).toMatchObject({ x: 2, tx_days: 31, t_days: 305, m: 23 })
  // B: one purchase day → x = 0, t_x = 0, T = 12-31 − 06-15 = 199 days, no m.
  expect(byMember.get(memberB)).toMatchObject({ x: 0, tx_days: 0, t_days: 199, m: null })

  const bg = result.clv!.bgnbd!.params as BgNbdParams
  const gg = result.clv!.gamma_gamma!.params as GammaGammaParams
  for (const s of scores) {
    const [x, tx, T] = [Number(s.x), Number(s.tx_days) / 7, Number(s.t_days) / 7]
    expect(s.p_alive).toBeCloseTo(pAlive(bg, x, tx, T), 9)
    expect(s.expected_visits_90).toBeCloseTo(conditionalExpectedPurchases(bg, x, tx, T, 90 / 7), 6)
    const spend = expectedSpend(gg, x, s.m === null ? 0 : Number(s.m))
    expect(s.expected_spend_per_visit).toBeCloseTo(spend, 9)
    const value = spend * discountedExpectedPurchases(bg, x, tx, T, CLV.horizonMonths, CLV.monthlyDiscount)
    expect(Number(s.clv)).toBeCloseTo(value, 2)
    expect(s.churn_risk).toBeCloseTo(1 - Number(s.p_alive), 12)
    expect(s.churn_band).toBe(Number(s.churn_risk) < 0.3 ? 'low' : Number(s.churn_risk) < 0.7 ? 'medium' : 'high')
  }

  const models = await chRows(t.ch, 'SELECT model, converged, members FROM clv_models WHERE run_id = {id:UInt64} ORDER BY model', { id: result.run_id })
  expect(models).toEqual([
    { model: 'bgnbd', converged: 1, members: '122' },
    { model: 'gamma_gamma', converged: 1, members: String(scores.filter((s) => Number(s.x) > 0 && Number(s.m) > 0).length) },
  ])
  // The working tables are gone once the run is published.
  expect(await chRows(t.ch, 'SELECT (SELECT count() FROM clv_members) AS m, (SELECT count() FROM clv_histories) AS h')).toEqual([{ m: '0', h: '0' }])
})

test('a run with no purchase before as_of values nobody and fits nothing', async () => {
  const result = await runAnalytics(
    { pg: t.db.pg, ch: t.ch, logger, clock: () => new Date('2020-01-02T00:00:00Z') },
    { kinds: ['clv'], asOf: new Date('2020-01-01T00:00:00Z'), profileWindowDays: 365, rfmWindowDays: 365, clv: CLV },
    { profileKeepRuns: 2, rfmKeepDays: 730 },
  )
  expect(result).toMatchObject({ valued: 0, clv: { bgnbd: null, gamma_gamma: null } })
})
