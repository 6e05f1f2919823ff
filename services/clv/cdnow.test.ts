// The models on the data they were published with: CDNOW's 2,357-customer sample, calibration
// ending 1997-09-30, a 39-week holdout 1997-10-01 .. 1998-06-30 (shared/data/README.md).
// Published figures: FHL 2005 (BG/NBD: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4;
// E[Y(39) | 2, 30.43, 38.86] = 1.226) and FH13 (Gamma-Gamma: p = 6.25, q = 3.74, γ = 15.44 over the
// 946 repeat customers). The data is read where it lies; a missing file fails these tests.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { conditionalExpectedPurchases, fitBgNbd, type BgNbdRow } from './bgnbd'
import { fitGammaGamma } from './gamma-gamma'

const DATA = join(__dirname, '../../../shared/data/cdnow/CDNOW_sample.txt')
const dayNumber = (yyyymmdd: string): number =>
  Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) / 86_400_000
const CAL_END = dayNumber('19970930')
const HOLDOUT_END = dayNumber('19980630')

interface Customer {
  id: string
  /** Purchase days (several rows on a day are one purchase) with that day's dollars. */
  days: Map<number, number>
}

let cache: Customer[] | undefined
function customers(): Customer[] {
  if (cache) return cache
  const byId = new Map<string, Customer>()
  for (const line of readFileSync(DATA, 'utf8').split('\n')) {
    const [id, , date, , dollars] = line.trim().split(/\s+/)
    if (id === undefined || date === undefined || dollars === undefined) continue
    const c = byId.get(id) ?? { id, days: new Map<number, number>() }
    byId.set(id, c)
    const d = dayNumber(date)
    c.days.set(d, (c.days.get(d) ?? 0) + Number(dollars))
  }
  cache = [...byId.values()]
  return cache
}

/** x, t_x, T in weeks with T measured to `end`; m = mean dollars of the repeat purchase days. */
function summarise(c: Customer, end: number): BgNbdRow & { id: string; m: number; holdout: number } {
  const days = [...c.days.keys()].sort((p, q) => p - q)
  const first = days[0] as number
  const cal = days.filter((d) => d <= CAL_END)
  const repeat = cal.slice(1)
  const last = cal[cal.length - 1] as number
  const m = repeat.length > 0 ? repeat.reduce((s, d) => s + (c.days.get(d) as number), 0) / repeat.length : 0
  const holdout = days.filter((d) => d > CAL_END && d <= HOLDOUT_END).length
  return { id: c.id, x: repeat.length, tx: (last - first) / 7, T: (end - first) / 7, m, holdout }
}

describe('CDNOW calibration summary', () => {
  it('has the papers’ 2,357 customers, 946 of them with a repeat purchase', () => {
    const rows = customers().map((c) => summarise(c, CAL_END))
    expect(rows).toHaveLength(2357)
    expect(rows.filter((r) => r.x > 0)).toHaveLength(946)
  })

  it('gives Hardie’s first customer x = 2, t_x = 30.43, T = 38.86 with T measured to 1997-09-30', () => {
    const first = summarise(customers().find((c) => c.id === '00004') as Customer, CAL_END)
    expect(first.x).toBe(2)
    expect(first.tx).toBeCloseTo(30.43, 2)
    expect(first.T).toBeCloseTo(38.86, 2)
  })
})

describe('BG/NBD on CDNOW (FHL 2005)', () => {
  it('recovers r, α, a, b and LL to the printed precision', () => {
    const fit = fitBgNbd(customers().map((c) => summarise(c, CAL_END)))
    expect(fit.converged).toBe(true)
    expect(fit.params.r).toBeCloseTo(0.243, 3)
    expect(fit.params.alpha).toBeCloseTo(4.414, 3)
    expect(fit.params.a).toBeCloseTo(0.793, 3)
    expect(fit.params.b).toBeCloseTo(2.426, 3)
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1)
  })

  it('does not reproduce them with T measured to the day after (1997-10-01)', () => {
    const fit = fitBgNbd(customers().map((c) => summarise(c, CAL_END + 1)))
    expect(Math.abs(fit.params.a - 0.793)).toBeGreaterThan(0.01)
    expect(Math.abs(fit.logLikelihood + 9582.4)).toBeGreaterThan(1)
  })

  it('predicts the 39-week holdout total within 15 % of the actual repeat purchase days', () => {
    const rows = customers().map((c) => summarise(c, CAL_END))
    const fit = fitBgNbd(rows)
    const actual = rows.reduce((s, r) => s + r.holdout, 0)
    const predicted = rows.reduce((s, r) => s + conditionalExpectedPurchases(fit.params, r.x, r.tx, r.T, 39), 0)
    expect(HOLDOUT_END - CAL_END).toBe(39 * 7)
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.15)
  })
})

describe('Gamma-Gamma on CDNOW (FH13)', () => {
  it('recovers p, q, γ to the printed precision from the repeat purchase days’ mean spend', () => {
    const spends = customers()
      .map((c) => summarise(c, CAL_END))
      .filter((r) => r.x > 0 && r.m > 0)
      .map((r) => ({ x: r.x, m: r.m }))
    expect(spends).toHaveLength(946)
    const fit = fitGammaGamma(spends)
    expect(fit.converged).toBe(true)
    expect(fit.params.p).toBeCloseTo(6.25, 2)
    expect(fit.params.q).toBeCloseTo(3.74, 2)
    expect(fit.params.gamma).toBeCloseTo(15.44, 2)
    // CLVTools' correctness test (test_correctness_gg.R) holds −4055.9177 for this fit.
    expect(fit.logLikelihood).toBeCloseTo(-4055.9177, 3)
  })
})
