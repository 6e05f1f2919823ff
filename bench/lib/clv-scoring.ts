// Scoring throughput of services/clv: 300,000 distinct (x, t_x, T) rows, the horizons 30/90/365
// days and a 24-month discounted sum (first written as bench/clv.bench.ts; bench:clv prints its
// line). Run alone: npx tsx bench/lib/clv-scoring.ts
import { createScorer, emptyScore } from '../../services/clv/clv'

export function scoringMicroBench(rows = 300_000): string {
  const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } // FHL 2005, CDNOW
  const scorer = createScorer(params, { horizonMonths: 24, monthlyDiscount: 0.01 })

  // Deterministic spread of histories: T up to 3 years, x up to 400.
  const xs = new Float64Array(rows)
  const txs = new Float64Array(rows)
  const Ts = new Float64Array(rows)
  let seed = 12345
  const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  for (let i = 0; i < rows; i++) {
    const T = Math.floor(next() * 1096) / 7
    const x = T === 0 ? 0 : Math.floor(next() ** 3 * Math.min(400, T * 7))
    Ts[i] = T
    xs[i] = x
    txs[i] = x === 0 ? 0 : Math.floor(next() * T * 7) / 7
  }

  const out = emptyScore()
  let check = 0
  const started = process.hrtime.bigint()
  for (let i = 0; i < rows; i++) {
    scorer.score(xs[i] as number, txs[i] as number, Ts[i] as number, out)
    check += out.discountedVisits
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  return `scored ${rows} rows in ${ms.toFixed(0)} ms (${((ms * 1000) / rows).toFixed(2)} µs/row); checksum ${check.toFixed(3)}`
}

if (require.main === module) console.log(scoringMicroBench())
