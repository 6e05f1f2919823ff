import { chRows } from '../../test/helpers/databases'
import { makeCardNumber, makeSwipe, makeTxnId, totalOf } from '../../test/helpers/factories'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

let platform: TestPlatform
let store: { storeId: string; keyId: string; key: string }

beforeAll(async () => {
  platform = await startTestPlatform()
  store = await platform.createStore()
})
afterAll(() => platform.close())

const journalCount = async (txnId: string) =>
  Number((await platform.db.pg.query<{ n: string }>('SELECT count(*) AS n FROM ingest_journal WHERE txn_id = $1', [txnId]))[0]!.n)

describe('POST /v1/swipes, one swipe', () => {
  test('a valid sale is committed to the journal and answered 201 with what was booked', async () => {
    const swipe = makeSwipe()
    const res = await platform.post('/v1/swipes', swipe, store.key)
    expect(res.status).toBe(201)
    const answer = await json(res)
    expect(answer).toMatchObject({ txn_id: swipe.txn_id, store_id: store.storeId, kind: 'sale', total: '3.97', line_count: 2 })
    expect(answer.card).toBe(`*********${swipe.card_number.slice(-4)}`)
    expect(await journalCount(swipe.txn_id)).toBe(1)
  })

  test('an unknown card is recorded as the card of a new anonymous member', async () => {
    const swipe = makeSwipe()
    await platform.post('/v1/swipes', swipe, store.key)
    const [card] = await platform.db.pg.query(
      'SELECT c.status, c.first_store_id, m.status AS member_status FROM cards c JOIN members m ON m.id = c.member_id WHERE card_number = $1',
      [swipe.card_number],
    )
    expect(card).toEqual({ status: 'active', first_store_id: store.storeId, member_status: 'anonymous' })
  })

  test('a retry of the same txn_id returns the first answer and books nothing', async () => {
    const swipe = makeSwipe()
    const first = await json(platform.post('/v1/swipes', swipe, store.key))
    // Days later, written differently (number instead of string, other key order): the same swipe.
    const { total, ...rest } = swipe
    const retry = await platform.post('/v1/swipes', { total: Number(total), ...rest }, store.key)
    expect(retry.status).toBe(200)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(await json(retry)).toEqual(first)
    expect(await journalCount(swipe.txn_id)).toBe(1)
  })

  test('the same txn_id with a different body is a 409 and the first stays', async () => {
    const swipe = makeSwipe()
    await platform.post('/v1/swipes', swipe, store.key)
    const other = makeSwipe({ txn_id: swipe.txn_id, card_number: swipe.card_number, terminal_id: 'till-9' })
    const res = await platform.post('/v1/swipes', other, store.key)
    expect(res.status).toBe(409)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect((await json(res)).code).toBe('txn_id_conflict')
    const [row] = await platform.db.pg.query<{ swipe: { terminal_id: string } }>('SELECT swipe FROM ingest_journal WHERE txn_id = $1', [swipe.txn_id])
    expect(row!.swipe.terminal_id).toBe('till-1')
  })

  test('the same txn_id at two stores is two swipes', async () => {
    const other = await platform.createStore()
    const swipe = makeSwipe()
    expect((await platform.post('/v1/swipes', swipe, store.key)).status).toBe(201)
    expect((await platform.post('/v1/swipes', swipe, other.key)).status).toBe(201)
    expect(await journalCount(swipe.txn_id)).toBe(2)
  })

  test('a basket of 500 lines is accepted', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => ({ sku: `SKU-${i}`, category: 'Grocery', quantity: '1.250', unit_price: '1.1999' }))
    const res = await platform.post('/v1/swipes', makeSwipe({ lines, total: totalOf(lines) }), store.key)
    expect(res.status).toBe(201)
    expect((await json(res)).line_count).toBe(500)
  })

  test('many tills posting the same txn_id at once store it once', async () => {
    const swipe = makeSwipe()
    const responses = await Promise.all(Array.from({ length: 20 }, () => platform.post('/v1/swipes', swipe, store.key)))
    const statuses = responses.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 200)).toHaveLength(19)
    const answers = await Promise.all(responses.map((r) => r.json()))
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1)
    expect(await journalCount(swipe.txn_id)).toBe(1)
  })
})

describe('authentication', () => {
  test('no key, a malformed key and a wrong secret are 401 and store nothing', async () => {
    const swipe = makeSwipe()
    const noKey = await fetch(`${platform.baseUrl}/v1/swipes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(swipe) })
    expect(noKey.status).toBe(401)
    expect((await platform.post('/v1/swipes', swipe, 'nonsense')).status).toBe(401)
    const wrongSecret = store.key.slice(0, -4) + 'AAAA'
    expect((await platform.post('/v1/swipes', swipe, wrongSecret)).status).toBe(401)
    expect(await journalCount(swipe.txn_id)).toBe(0)
  })

  test('a revoked key is refused from then on', async () => {
    const shop = await platform.createStore()
    expect((await platform.post('/v1/swipes', makeSwipe(), shop.key)).status).toBe(201)
    await platform.stores.revokeKey(shop.keyId)
    const res = await platform.post('/v1/swipes', makeSwipe(), shop.key)
    expect(res.status).toBe(401)
    expect((await json(res)).detail).toMatch(/revoked/)
  })

  test('the key works in X-Api-Key too', async () => {
    const res = await fetch(`${platform.baseUrl}/v1/swipes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': store.key },
      body: JSON.stringify(makeSwipe()),
    })
    expect(res.status).toBe(201)
  })
})

describe('validation', () => {
  const problemsOf = async (body: unknown) => {
    const res = await platform.post('/v1/swipes', body, store.key)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const problem = await json(res)
    expect(problem.request_id).toBeTruthy()
    return problem.errors as { path: string; message: string }[]
  }

  test('every problem is named with its JSON path, and nothing is stored', async () => {
    const bad = makeSwipe({
      card_number: '12345',
      currency: 'euro',
      kind: 'refund',
      lines: [{ sku: 'A', category: 'Dairy', quantity: '0', unit_price: '-1' }],
      colour: 'blue',
    })
    const paths = (await problemsOf(bad)).map((p) => p.path).sort()
    expect(paths).toEqual(['$.card_number', '$.colour', '$.currency', '$.kind', '$.lines[0].quantity', '$.lines[0].unit_price'])
    expect(await journalCount(bad.txn_id as string)).toBe(0)
  })

  test('a total that disagrees with the lines is refused, with both figures', async () => {
    const [problem] = await problemsOf(makeSwipe({ total: '3.98' }))
    expect(problem).toEqual({ path: '$.total', message: expect.stringContaining('3.98 does not equal the sum of the lines, 3.97') })
  })

  test('a line discount larger than the line is refused', async () => {
    const lines = [{ sku: 'A', category: 'Dairy', quantity: '1', unit_price: '1.00', discount: '1.50' }]
    const problems = await problemsOf(makeSwipe({ lines, total: '0.00' }))
    expect(problems.map((p) => p.path)).toEqual(['$.lines[0].discount', '$.total'])
  })

  test('quantities must be positive', async () => {
    for (const quantity of ['0', '-1']) {
      const lines = [{ sku: 'A', category: 'Dairy', quantity, unit_price: '1.00' }]
      expect((await problemsOf(makeSwipe({ lines, total: '0.00' }))).map((p) => p.path)).toContain('$.lines[0].quantity')
    }
  })

  test('amounts are exact decimals: too many places or a float artefact is refused', async () => {
    const lines = [{ sku: 'A', category: 'Dairy', quantity: '1', unit_price: '0.1' }]
    expect((await problemsOf(makeSwipe({ lines, total: '0.100000001' }))).map((p) => p.path)).toEqual(['$.total'])
    expect((await problemsOf(makeSwipe({ lines, total: 4.440892e-16 }))).map((p) => p.path)).toEqual(['$.total'])
  })

  test('occurred_at needs an offset and may not be in the future beyond the clock skew', async () => {
    expect((await problemsOf(makeSwipe({ occurred_at: '2026-11-20 10:15:00' }))).map((p) => p.path)).toEqual(['$.occurred_at'])
    const future = new Date(Date.now() + 3600_000).toISOString()
    const [problem] = await problemsOf(makeSwipe({ occurred_at: future }))
    expect(problem!.message).toMatch(/future/)
    const slightlyAhead = new Date(Date.now() + 60_000).toISOString()
    expect((await platform.post('/v1/swipes', makeSwipe({ occurred_at: slightlyAhead }), store.key)).status).toBe(201)
  })

  test('a card number with a wrong check digit is refused', async () => {
    const card = makeCardNumber()
    const wrong = card.slice(0, -1) + String((Number(card.slice(-1)) + 1) % 10)
    expect(await problemsOf(makeSwipe({ card_number: wrong }))).toEqual([{ path: '$.card_number', message: expect.stringMatching(/Luhn/) }])
  })

  test('a payment card number in a free-text field is refused, never stored', async () => {
    const lines = [{ sku: 'A', category: 'paid with 4111 1111 1111 1111', quantity: '1', unit_price: '1.00' }]
    expect((await problemsOf(makeSwipe({ lines, total: '1.00' }))).map((p) => p.path)).toEqual(['$.lines[0].category'])
  })

  test('a return must name its sale, and a sale must not', async () => {
    expect((await problemsOf(makeSwipe({ kind: 'return' }))).map((p) => p.path)).toEqual(['$.original_txn_id'])
    expect((await problemsOf(makeSwipe({ original_txn_id: 'X1' }))).map((p) => p.path)).toEqual(['$.original_txn_id'])
  })

  test('more than 1,000 lines is refused', async () => {
    const lines = Array.from({ length: 1001 }, (_, i) => ({ sku: `S${i}`, category: 'C', quantity: '1', unit_price: '1' }))
    expect((await problemsOf(makeSwipe({ lines, total: '1001.00' }))).map((p) => p.path)).toEqual(['$.lines'])
  })

  test('malformed JSON is a 400 problem, not a crash', async () => {
    const res = await platform.post('/v1/swipes', '{"txn_id": ', store.key)
    expect(res.status).toBe(400)
    expect((await json(res)).code).toBe('malformed_json')
  })
})

describe('returns', () => {
  const sale = (card: string) =>
    makeSwipe({
      card_number: card,
      lines: [
        { sku: 'MILK', category: 'Dairy', quantity: '3', unit_price: '1.00' },
        { sku: 'EGGS', category: 'Dairy', quantity: '1', unit_price: '2.50' },
      ],
      total: '5.50',
    })
  const ret = (original: { txn_id: string; card_number: string }, quantity: string) => {
    const lines = [{ sku: 'MILK', category: 'Dairy', quantity, unit_price: '1.00' }]
    return makeSwipe({ kind: 'return', original_txn_id: original.txn_id, card_number: original.card_number, lines, total: totalOf(lines) })
  }

  test('a return within what was bought is accepted; returns beyond it, in total, are refused', async () => {
    const s = sale(makeCardNumber())
    expect((await platform.post('/v1/swipes', s, store.key)).status).toBe(201)
    expect((await platform.post('/v1/swipes', ret(s, '2'), store.key)).status).toBe(201)
    const over = await platform.post('/v1/swipes', ret(s, '2'), store.key)
    expect(over.status).toBe(400)
    expect((await json(over)).errors[0]).toEqual({ path: '$.lines[0].quantity', message: expect.stringMatching(/4\.000 of MILK in all, but the sale had 3\.000/) })
    expect((await platform.post('/v1/swipes', ret(s, '1'), store.key)).status).toBe(201)
  })

  test('a return of an unknown sale, another SKU or on another card is refused', async () => {
    const s = sale(makeCardNumber())
    await platform.post('/v1/swipes', s, store.key)
    const unknown = await platform.post('/v1/swipes', ret({ txn_id: 'NOPE', card_number: s.card_number }, '1'), store.key)
    expect((await json(unknown)).errors[0].path).toBe('$.original_txn_id')
    const otherSku = makeSwipe({ kind: 'return', original_txn_id: s.txn_id, card_number: s.card_number, lines: [{ sku: 'BEER', category: 'Drinks', quantity: '1', unit_price: '1.00' }], total: '1.00' })
    expect((await json(platform.post('/v1/swipes', otherSku, store.key))).errors[0].path).toBe('$.lines[0].sku')
    const otherCard = await platform.post('/v1/swipes', ret({ txn_id: s.txn_id, card_number: makeCardNumber() }, '1'), store.key)
    expect((await json(otherCard)).errors.map((e: { path: string }) => e.path)).toEqual(['$.card_number'])
  })

  test('concurrent returns against one sale never exceed it', async () => {
    const s = sale(makeCardNumber())
    await platform.post('/v1/swipes', s, store.key)
    const results = await Promise.all(Array.from({ length: 6 }, () => platform.post('/v1/swipes', ret(s, '1'), store.key)))
    expect(results.filter((r) => r.status === 201)).toHaveLength(3)
    expect(results.filter((r) => r.status === 400)).toHaveLength(3)
  })
})

describe('POST /v1/swipes, a batch', () => {
  test('each swipe is answered on its own: good ones kept, bad ones listed with their paths', async () => {
    const good1 = makeSwipe()
    const good2 = makeSwipe()
    const bad = makeSwipe({ total: '9.99' })
    const res = await platform.post('/v1/swipes', [good1, bad, good2], store.key)
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body).toMatchObject({ accepted: 2, replayed: 0, rejected: 1 })
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected', 'accepted'])
    expect(body.results[1].problem.errors).toEqual([{ path: '$[1].total', message: expect.any(String) }])
    expect(await journalCount(good1.txn_id)).toBe(1)
    expect(await journalCount(good2.txn_id)).toBe(1)
    expect(await journalCount(bad.txn_id)).toBe(0)
  })

  test('a retried batch replays every swipe; a txn_id twice in one batch is stored once', async () => {
    const a = makeSwipe()
    const batch = [a, makeSwipe(), a]
    const first = await json(platform.post('/v1/swipes', batch, store.key))
    expect(first.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'replayed'])
    const again = await json(platform.post('/v1/swipes', batch, store.key))
    expect(again).toMatchObject({ accepted: 0, replayed: 3, rejected: 0 })
    expect(again.results[0].answer).toEqual(first.results[0].answer)
    expect(await journalCount(a.txn_id)).toBe(1)
  })

  test('a sale and its return in one batch', async () => {
    const s = makeSwipe({ lines: [{ sku: 'MILK', category: 'Dairy', quantity: '2', unit_price: '1.00' }], total: '2.00' })
    const r = makeSwipe({ kind: 'return', original_txn_id: s.txn_id, card_number: s.card_number, lines: [{ sku: 'MILK', category: 'Dairy', quantity: '1', unit_price: '1.00' }], total: '1.00' })
    const body = await json(platform.post('/v1/swipes', [r, s], store.key))
    expect(body).toMatchObject({ accepted: 2, rejected: 0 })
  })

  test('an empty batch or one over 1,000 is refused whole', async () => {
    expect((await platform.post('/v1/swipes', [], store.key)).status).toBe(400)
    const big = Array.from({ length: 1001 }, () => makeSwipe())
    expect((await platform.post('/v1/swipes', big, store.key)).status).toBe(400)
    expect(await journalCount(big[0]!.txn_id)).toBe(0)
  })
})

describe('into ClickHouse', () => {
  test('shipped swipes and lines are queryable with exact amounts and local offset', async () => {
    const shop = await platform.createStore()
    const swipe = makeSwipe({ txn_id: makeTxnId(), occurred_at: '2026-11-20T10:15:00.250+01:00' })
    await platform.post('/v1/swipes', swipe, shop.key)
    await platform.shipper().drain()
    const [row] = await chRows(platform.ch, 'SELECT total, discount_total, occurred_at, utc_offset_minutes, line_count, kind FROM swipes WHERE store_id = {s:String}', { s: shop.storeId })
    expect(row).toEqual({ total: '3.97', discount_total: '0.5', occurred_at: '2026-11-20 09:15:00.250', utc_offset_minutes: 60, line_count: 2, kind: 'sale' })
    const lines = await chRows(platform.ch, 'SELECT line_no, sku, quantity, unit_price, amount FROM swipe_lines WHERE store_id = {s:String} ORDER BY line_no', { s: shop.storeId })
    expect(lines).toEqual([
      { line_no: 1, sku: 'MILK-1L', quantity: '2', unit_price: '0.99', amount: '1.98' },
      { line_no: 2, sku: 'BREAD-WH', quantity: '1', unit_price: '2.49', amount: '1.99' },
    ])
  })
})
