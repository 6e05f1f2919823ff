// Log-gamma and log-beta for the CLV models (pure, no I/O).
// ln Γ by Stirling's series (A&S 6.1.40, eight terms: error < 1e-16 for x >= 10), shifted up
// with Γ(x) = Γ(x + n) / (x (x+1) ... (x+n−1)) below 10 and reflected below 1/2.

const STIRLING_SHIFT = 10
// Local bindings: global lookups of Math are slow inside jest's vm sandbox.
const { log, sin, abs, floor, PI } = Math
const HALF_LOG_2PI = 0.5 * log(2 * PI)

/** True when x is 0, -1, -2, ... (a pole of Γ). */
export function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && x === floor(x)
}

/** ln|Γ(x)|; +Infinity at the poles x = 0, -1, -2, ... */
export function logGamma(x: number): number {
  if (isNonPositiveInteger(x)) return Infinity
  if (x < 0.5) {
    // Reflection: Γ(x) Γ(1 − x) = π / sin(πx)
    return log(PI / abs(sin(PI * x))) - logGamma(1 - x)
  }
  let shift = 0
  let product = 1
  while (x < STIRLING_SHIFT) {
    product *= x
    x += 1
    shift++
  }
  const inv = 1 / x
  const inv2 = inv * inv
  // 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹) − 691/(360360x¹¹) + 1/(156x¹³) − 3617/(122400x¹⁵)
  const series =
    inv * (1 / 12 + inv2 * (-1 / 360 + inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 +
      inv2 * (-691 / 360360 + inv2 * (1 / 156 + inv2 * (-3617 / 122400))))))))
  const stirling = (x - 0.5) * log(x) - x + HALF_LOG_2PI + series
  return shift === 0 ? stirling : stirling - log(product)
}

/** Sign of Γ(x) (x not a pole): +1 for x > 0, alternating between the poles below 0. */
export function gammaSign(x: number): 1 | -1 {
  if (x > 0) return 1
  return floor(x) % 2 === 0 ? 1 : -1
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b)
}
