import crypto from 'node:crypto'
import { formatScaled, roundDivPow10 } from '../platform/decimal'
import { zodProblems } from '../platform/http/validate'
import { SCALE, SwipeSchema, type Swipe } from './swipe.schemas'

/** One problem with one field, named by its JSON path (`$.lines[3].quantity`). */
export interface FieldProblem {
  path: string
  message: string
}

export interface NormalizedLine {
  line_no: number
  sku: string
  category: string
  quantity: string
  unit_price: string
  discount: string
  /** round_half_up(quantity × unit_price, 2) − discount */
  amount: string
}

/** A swipe as accepted: canonical decimals, the instant in UTC, line amounts worked out. */
export interface NormalizedSwipe {
  txn_id: string
  terminal_id: string
  card_number: string
  occurred_at: string
  utc_offset_minutes: number
  currency: string
  kind: 'sale' | 'return'
  original_txn_id: string | null
  total: string
  discount_total: string
  coupon_codes: string[]
  lines: NormalizedLine[]
}

export interface RuleContext {
  now: Date
  /** How far ahead of `now` a till's clock may run, in seconds. */
  skewSeconds: number
}

/** The earliest instant a swipe may carry; earlier means a till whose clock was reset. */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z')

export type SwipeCheck =
  | { ok: true; swipe: NormalizedSwipe; json: string; hash: string }
  | { ok: false; problems: FieldProblem[] }

/** Validates one swipe as posted (shape, then arithmetic and clock) and normalizes it. */
export function checkSwipe(input: unknown, ctx: RuleContext, pathPrefix = '$'): SwipeCheck {
  const parsed = SwipeSchema.safeParse(input)
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, pathPrefix) }
  const problems: FieldProblem[] = []
  const swipe = normalize(parsed.data, ctx, problems, pathPrefix)
  if (problems.length > 0) return { ok: false, problems }
  // Serialized once: the hash and the journal row both use this text.
  const json = JSON.stringify(swipe)
  return { ok: true, swipe, json, hash: sha256(json) }
}

function normalize(swipe: Swipe, ctx: RuleContext, problems: FieldProblem[], at: string): NormalizedSwipe {
  const instant = Date.parse(swipe.occurred_at)
  if (instant > ctx.now.getTime() + ctx.skewSeconds * 1000) {
    problems.push({ path: `${at}.occurred_at`, message: `is in the future (more than ${ctx.skewSeconds} s ahead of the server clock)` })
  } else if (instant < EARLIEST) {
    problems.push({ path: `${at}.occurred_at`, message: 'is before 2000-01-01; is the till clock set?' })
  }
  const priceToMoney = SCALE.quantity + SCALE.unitPrice - SCALE.money
  let sum = 0n
  let discountSum = 0n
  const lines = swipe.lines.map((line, i): NormalizedLine => {
    const gross = roundDivPow10(unitsOf(line.quantity) * unitsOf(line.unit_price), priceToMoney)
    const discount = unitsOf(line.discount)
    if (discount > gross) {
      problems.push({
        path: `${at}.lines[${i}].discount`,
        message: `${line.discount} exceeds the line's value ${formatScaled(gross, SCALE.money)}`,
      })
    }
    sum += gross - discount
    discountSum += discount
    return { line_no: i + 1, ...line, amount: formatScaled(gross - discount, SCALE.money) }
  })
  const total = unitsOf(swipe.total)
  if (total !== sum) {
    problems.push({
      path: `${at}.total`,
      message: `${swipe.total} does not equal the sum of the lines, ${formatScaled(sum, SCALE.money)} (each line: round(quantity × unit_price, 2) − discount)`,
    })
  }
  return {
    txn_id: swipe.txn_id,
    terminal_id: swipe.terminal_id,
    card_number: swipe.card_number,
    occurred_at: new Date(instant).toISOString(),
    utc_offset_minutes: utcOffsetMinutes(swipe.occurred_at),
    currency: swipe.currency,
    kind: swipe.kind,
    original_txn_id: swipe.original_txn_id ?? null,
    total: swipe.total,
    discount_total: formatScaled(discountSum, SCALE.money),
    coupon_codes: swipe.coupon_codes,
    lines,
  }
}

/** Scaled units of a canonical decimal (the schema's output: exactly its scale's decimals). */
const unitsOf = (canonical: string) => BigInt(canonical.replace('.', ''))

/** The offset written in an ISO 8601 time ("…+02:00" → 120, "…Z" → 0). */
function utcOffsetMinutes(iso: string): number {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(iso)
  if (!match) return 0
  const minutes = Number(match[2]) * 60 + Number(match[3])
  return match[1] === '-' ? -minutes : minutes
}

/** SHA-256 of the normalized swipe's JSON: the same sale written differently hashes the same. */
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex')
