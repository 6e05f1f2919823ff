import { formatScaled, parseScaled } from '../platform/decimal'
import { SCALE } from './swipe.schemas'
import type { FieldProblem, NormalizedSwipe } from './swipe-rules'

interface Returned {
  quantity: string
  amount: string
}

/**
 * Checks a return against the sale it names: same card and currency, and per SKU, the
 * quantity and amount returned so far plus this return never exceed what the sale had.
 */
export function checkReturn(
  ret: NormalizedSwipe,
  original: { kind: string; swipe: NormalizedSwipe } | undefined,
  returnedSoFar: Map<string, Returned>,
  at: string,
): FieldProblem[] {
  if (!original || original.kind !== 'sale') {
    return [{ path: `${at}.original_txn_id`, message: `no sale ${ret.original_txn_id} was recorded at this store` }]
  }
  const problems: FieldProblem[] = []
  if (original.swipe.card_number !== ret.card_number) {
    problems.push({ path: `${at}.card_number`, message: 'differs from the card of the original sale' })
  }
  if (original.swipe.currency !== ret.currency) {
    problems.push({ path: `${at}.currency`, message: `differs from the original sale's ${original.swipe.currency}` })
  }
  const sold = sumBySku(original.swipe.lines)
  const returning = sumBySku(ret.lines)
  for (const [sku, now] of returning) {
    const bought = sold.get(sku)
    const lineIndex = ret.lines.findIndex((l) => l.sku === sku)
    const path = `${at}.lines[${lineIndex}]`
    if (!bought) {
      problems.push({ path: `${path}.sku`, message: `${sku} was not in the original sale` })
      continue
    }
    const before = returnedSoFar.get(sku)
    const qtyBefore = before ? parseScaled(before.quantity, SCALE.quantity) ?? 0n : 0n
    const amountBefore = before ? parseScaled(before.amount, SCALE.money) ?? 0n : 0n
    if (qtyBefore + now.quantity > bought.quantity) {
      problems.push({
        path: `${path}.quantity`,
        message: `returns ${fmtQty(qtyBefore + now.quantity)} of ${sku} in all, but the sale had ${fmtQty(bought.quantity)}`,
      })
    }
    if (amountBefore + now.amount > bought.amount) {
      problems.push({
        path: `${path}.unit_price`,
        message: `refunds ${fmtMoney(amountBefore + now.amount)} for ${sku} in all, but the sale charged ${fmtMoney(bought.amount)}`,
      })
    }
  }
  return problems
}

function sumBySku(lines: NormalizedSwipe['lines']): Map<string, { quantity: bigint; amount: bigint }> {
  const sums = new Map<string, { quantity: bigint; amount: bigint }>()
  for (const line of lines) {
    const s = sums.get(line.sku) ?? { quantity: 0n, amount: 0n }
    s.quantity += parseScaled(line.quantity, SCALE.quantity)!
    s.amount += parseScaled(line.amount, SCALE.money)!
    sums.set(line.sku, s)
  }
  return sums
}

const fmtQty = (units: bigint) => formatScaled(units, SCALE.quantity)
const fmtMoney = (units: bigint) => formatScaled(units, SCALE.money)
