import { withLuhnCheckDigit } from '../../services/ingest/card-number'

const CATEGORIES = ['Dairy', 'Bakery', 'Produce', 'Meat', 'Frozen', 'Drinks', 'Household', 'Baby', 'Snacks', 'Deli']

/** The card number of the bench's customer `n` (13 digits, Luhn check digit). */
export const benchCard = (n: number) => withLuhnCheckDigit(`9${String(n).padStart(11, '0')}`)

/**
 * Baskets like the real data's: 1–3 lines, 2017 dates unless `year` says otherwise, cards
 * drawn from `cards` customers (the real data has ~2,400). Seeded, so runs compare.
 */
export function* baskets(prefix: string, count: number, seed: number, options: { cards?: number; year?: number } = {}): Generator<string> {
  const cards = options.cards ?? 2400
  const year = options.year ?? 2017
  let state = seed
  const rand = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
  for (let i = 0; i < count; i++) {
    const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
      const cents = 50 + Math.floor(rand() * 900)
      return { sku: `SKU-${Math.floor(rand() * 5000)}`, category: CATEGORIES[Math.floor(rand() * 10)]!, quantity: String(1 + Math.floor(rand() * 3)), unit_price: (cents / 100).toFixed(2) }
    })
    const total = lines.reduce((sum, l) => sum + Number(l.quantity) * Math.round(Number(l.unit_price) * 100), 0)
    yield JSON.stringify({
      txn_id: `${prefix}-${i}`,
      terminal_id: `till-${1 + Math.floor(rand() * 8)}`,
      card_number: benchCard(Math.floor(rand() * cards)),
      occurred_at: new Date(Date.UTC(year, 0, 1) + Math.floor(rand() * 300 * 86_400_000)).toISOString(),
      currency: 'USD',
      kind: 'sale',
      lines,
      total: (total / 100).toFixed(2),
    })
  }
}

/**
 * An NDJSON request body of these lines, encoded up front (in chunks of 500 lines) so that
 * making the load does not compete with the server once the clock runs.
 */
export function ndjsonBody(lines: Iterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const chunks: Uint8Array[] = []
  let pending: string[] = []
  const flush = () => {
    if (pending.length) chunks.push(encoder.encode(`${pending.join('\n')}\n`))
    pending = []
  }
  for (const line of lines) {
    pending.push(line)
    if (pending.length === 500) flush()
  }
  flush()
  let next = 0
  return new ReadableStream({ pull: (c) => (next < chunks.length ? c.enqueue(chunks[next++]!) : c.close()) })
}
