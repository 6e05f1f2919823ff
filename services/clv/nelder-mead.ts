// A small Nelder–Mead minimiser (Nelder & Mead 1965; the standard coefficients reflection 1,
// expansion 2, contraction 1/2, shrink 1/2, as in Lagarias et al. 1998) for the CLV fits, which
// minimise a negative log-likelihood over 3 or 4 log-parameters.
//
// Why our own and not a package: of the npm candidates, `fmin` (0.0.4) ships no types and does
// not report whether it converged or how many iterations it took; `optimization-js` pulls
// browserify, jsdoc and travis in as runtime dependencies; `ml-levenberg-marquardt` solves least
// squares, not likelihood maximisation; `@stdlib` has no Nelder–Mead. A hundred tested lines cost
// less than any of those.
//
// Convergence: the simplex's function values are within fTol (absolute + relative) of the best
// and its vertices within xTol of the best. The search is then restarted from the best point with
// a fresh simplex (guarding against a collapsed simplex) until a restart no longer improves the
// value by more than fTol; only then is the result `converged`. Hitting maxIterations returns the
// best point with converged = false; nothing is thrown for that.

export interface MinimizeOptions {
  /** Total iterations across restarts (default 5000). */
  maxIterations?: number
  /** Tolerance on function values, absolute and relative (default 1e-10). */
  fTol?: number
  /** Tolerance on the simplex size, in the units of x (default 1e-8). */
  xTol?: number
  /** Size of the initial simplex along each axis (default 0.25). */
  initialStep?: number
  /** Maximum number of restarts after a first convergence (default 10). */
  maxRestarts?: number
}

export interface MinimizeResult {
  x: number[]
  fx: number
  iterations: number
  converged: boolean
}

type Objective = (x: ReadonlyArray<number>) => number

interface Vertex {
  x: number[]
  f: number
}

/** Minimises f from x0 by Nelder–Mead with restarts. Non-finite values of f count as +Infinity. */
export function nelderMead(f: Objective, x0: ReadonlyArray<number>, options: MinimizeOptions = {}): MinimizeResult {
  const maxIterations = options.maxIterations ?? 5000
  const fTol = options.fTol ?? 1e-10
  const maxRestarts = options.maxRestarts ?? 10
  const safeF = (x: ReadonlyArray<number>): number => {
    const v = f(x)
    return Number.isFinite(v) ? v : Infinity
  }
  let best: Vertex = { x: [...x0], f: safeF(x0) }
  let iterations = 0
  for (let restart = 0; restart <= maxRestarts; restart++) {
    const run = runSimplex(safeF, best.x, options, maxIterations - iterations)
    iterations += run.iterations
    const improved = best.f - run.best.f
    if (run.best.f <= best.f) best = run.best
    if (!run.converged) return { x: best.x, fx: best.f, iterations, converged: false }
    if (restart > 0 && !(improved > fTol * (1 + Math.abs(best.f)))) {
      return { x: best.x, fx: best.f, iterations, converged: true }
    }
  }
  return { x: best.x, fx: best.f, iterations, converged: false }
}

function runSimplex(
  f: Objective,
  start: ReadonlyArray<number>,
  options: MinimizeOptions,
  budget: number,
): { best: Vertex; iterations: number; converged: boolean } {
  const fTol = options.fTol ?? 1e-10
  const xTol = options.xTol ?? 1e-8
  const step = options.initialStep ?? 0.25
  const n = start.length
  const simplex: Vertex[] = [{ x: [...start], f: f(start) }]
  for (let i = 0; i < n; i++) {
    const x = [...start]
    x[i] = (x[i] as number) + step
    simplex.push({ x, f: f(x) })
  }
  let iterations = 0
  for (;;) {
    simplex.sort((p, q) => p.f - q.f)
    const bestV = simplex[0] as Vertex
    if (hasConverged(simplex, fTol, xTol)) return { best: bestV, iterations, converged: true }
    if (iterations >= budget) return { best: bestV, iterations, converged: false }
    iterations++
    step1(f, simplex)
  }
}

function hasConverged(simplex: Vertex[], fTol: number, xTol: number): boolean {
  const best = simplex[0] as Vertex
  const worst = simplex[simplex.length - 1] as Vertex
  if (!(worst.f - best.f <= fTol * (1 + Math.abs(best.f)))) return false
  for (let i = 1; i < simplex.length; i++) {
    const v = (simplex[i] as Vertex).x
    for (let j = 0; j < v.length; j++) if (Math.abs((v[j] as number) - (best.x[j] as number)) > xTol) return false
  }
  return true
}

/** x_c + t (x_w − x_c) */
function along(centroid: number[], worst: number[], t: number): number[] {
  return centroid.map((c, j) => c + t * ((worst[j] as number) - c))
}

/** One Nelder–Mead iteration on a simplex sorted best first. */
function step1(f: Objective, simplex: Vertex[]): void {
  const n = simplex.length - 1
  const worst = simplex[n] as Vertex
  const secondWorst = simplex[n - 1] as Vertex
  const best = simplex[0] as Vertex
  const centroid = new Array<number>(n).fill(0)
  for (let i = 0; i < n; i++) {
    const v = (simplex[i] as Vertex).x
    for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (v[j] as number) / n
  }
  const xr = along(centroid, worst.x, -1)
  const fr = f(xr)
  if (fr < best.f) {
    const xe = along(centroid, worst.x, -2)
    const fe = f(xe)
    simplex[n] = fe < fr ? { x: xe, f: fe } : { x: xr, f: fr }
    return
  }
  if (fr < secondWorst.f) {
    simplex[n] = { x: xr, f: fr }
    return
  }
  const outside = fr < worst.f
  const xc = along(centroid, worst.x, outside ? -0.5 : 0.5)
  const fc = f(xc)
  if (fc < (outside ? fr : worst.f)) {
    simplex[n] = { x: xc, f: fc }
    return
  }
  for (let i = 1; i <= n; i++) {
    const x = along(best.x, (simplex[i] as Vertex).x, 0.5)
    simplex[i] = { x, f: f(x) }
  }
}

/** What every CLV fit reports (docs/clv.md "Fit"). */
export interface FitResult<P> {
  params: P
  /** Maximised log-likelihood (natural log). */
  logLikelihood: number
  iterations: number
  converged: boolean
}

/**
 * Maximum likelihood of positive parameters, searched over their logarithms (so every step
 * stays positive): Nelder–Mead from `start`, keys in `start`'s order. What both CLV fits run.
 */
export function maximizeLikelihoodOfPositive<P extends Record<string, number>>(
  logLikelihood: (params: P) => number,
  start: P,
  options: MinimizeOptions = {},
): FitResult<P> {
  const { exp, log } = Math // local: global lookups of Math are slow inside jest's vm sandbox
  const keys = Object.keys(start) as (keyof P)[]
  const fromLog = (v: ReadonlyArray<number>) => Object.fromEntries(keys.map((k, i) => [k, exp(v[i] as number)])) as P
  const result = nelderMead((v) => -logLikelihood(fromLog(v)), keys.map((k) => log(start[k] as number)), options)
  return { params: fromLog(result.x), logLikelihood: -result.fx, iterations: result.iterations, converged: result.converged }
}
