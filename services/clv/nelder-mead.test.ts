import { nelderMead } from './nelder-mead'

const rosenbrock = ([x = 0, y = 0]: ReadonlyArray<number>): number => 100 * (y - x * x) ** 2 + (1 - x) ** 2

describe('nelderMead', () => {
  it('finds the minimum of Rosenbrock’s valley at (1, 1)', () => {
    const result = nelderMead(rosenbrock, [-1.2, 1])
    expect(result.converged).toBe(true)
    expect(result.x[0]).toBeCloseTo(1, 6)
    expect(result.x[1]).toBeCloseTo(1, 6)
    expect(result.fx).toBeLessThan(1e-12)
  })

  it('finds the centre of a shifted, badly scaled 4-d quadratic', () => {
    const centre = [3, -2, 0.5, 10]
    const scale = [1, 100, 0.01, 5]
    const f = (v: ReadonlyArray<number>): number => v.reduce((s, x, i) => s + (scale[i] as number) * (x - (centre[i] as number)) ** 2, 0)
    const result = nelderMead(f, [0, 0, 0, 0])
    expect(result.converged).toBe(true)
    result.x.forEach((x, i) => expect(x).toBeCloseTo(centre[i] as number, 4))
  })

  it('treats non-finite values as +Infinity and steps back from them', () => {
    const f = ([x = 0]: ReadonlyArray<number>): number => (x < 0 ? NaN : (x - 2) ** 2)
    const result = nelderMead(f, [0.1])
    expect(result.converged).toBe(true)
    expect(result.x[0]).toBeCloseTo(2, 6)
  })

  it('reports converged = false, without throwing, when it runs out of iterations', () => {
    const result = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5 })
    expect(result.converged).toBe(false)
    expect(result.iterations).toBe(5)
    expect(result.fx).toBeLessThanOrEqual(rosenbrock([-1.2, 1]))
  })
})
