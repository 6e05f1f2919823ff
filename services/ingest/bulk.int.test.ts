import { Readable } from 'node:stream'
import { pollUntil } from '../../test/helpers/child-process'
import { chRows } from '../../test/helpers/databases'
import { makeSwipe } from '../../test/helpers/factories'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { createProgrammeLoader } from '../points/programme'
import { recordBulk } from './record-bulk'

let platform: TestPlatform

beforeAll(async () => {
  platform = await startTestPlatform()
})
afterAll(() => platform.close())

/** An NDJSON request body produced lazily, line by line, as a till export would stream it. */
function ndjson(lines: Iterable<string>): ReadableStream {
  return Readable.toWeb(Readable.from((function* () {
    for (const line of lines) yield `${line}\n`
  })())) as ReadableStream
}

const postBulk = (key: string, body: ReadableStream | string) =>
  fetch(`${platform.baseUrl}/v1/swipes/bulk`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
    body,
    duplex: 'half',
  } as RequestInit)

test('a 100,000-line stream: good lines kept, each bad line reported by number, all of it in ClickHouse', async () => {
  const shop = await platform.createStore()
  const total = 100_000
  const malformed = new Set([10, 50_000])
  const invalid = new Set([777, 99_999])
  function* lines() {
    for (let n = 1; n <= total; n++) {
      if (malformed.has(n)) yield '{"txn_id": "broken'
      else if (invalid.has(n)) yield JSON.stringify(makeSwipe({ txn_id: `B-${n}`, total: '1.00' }))
      else yield JSON.stringify(makeSwipe({ txn_id: `B-${n}` }))
    }
  }
  const res = await postBulk(shop.key, ndjson(lines()))
  expect(res.status).toBe(200)
  const report = await json(res)
  expect(report).toMatchObject({ lines: total, accepted: total - 4, replayed: 0, rejected: 4, rejections_truncated: false })
  expect(report.rejections.map((r: { line: number }) => r.line)).toEqual([10, 777, 50_000, 99_999])
  const r777 = report.rejections.find((r: { line: number }) => r.line === 777)
  expect(r777).toMatchObject({ txn_id: 'B-777', status: 400, errors: [{ path: '$.total', message: expect.any(String) }] })

  await platform.shipper().drain()
  const [row] = await chRows<{ n: string; total: string; lines: string }>(
    platform.ch,
    `SELECT count() AS n, sum(total) AS total, (SELECT count() FROM swipe_lines WHERE store_id = {s:String}) AS lines
     FROM swipes WHERE store_id = {s:String}`,
    { s: shop.storeId },
  )
  const cents = 397n * BigInt(total - 4) // every good swipe totals 3.97
  expect(row).toEqual({ n: String(total - 4), total: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`, lines: String(2 * (total - 4)) })
  // 100,000 swipes through the whole path: about a minute alone, past the default 120 s when the
  // two cores are shared. It asserts completeness, not speed (bench:ingest measures that).
}, 300_000)

test('resending a stream replays it: counted as replayed, nothing stored twice', async () => {
  const shop = await platform.createStore()
  const body = Array.from({ length: 50 }, () => JSON.stringify(makeSwipe())).join('\n')
  expect(await json(postBulk(shop.key, body))).toMatchObject({ accepted: 50, replayed: 0 })
  expect(await json(postBulk(shop.key, `${body}\n`))).toMatchObject({ accepted: 0, replayed: 50 })
  const [row] = await platform.db.pg.query<{ n: string }>('SELECT count(*) AS n FROM ingest_journal WHERE store_id = $1', [shop.storeId])
  expect(row!.n).toBe('50')
})

test('a return later in the stream finds its sale from an earlier chunk', async () => {
  const shop = await platform.createStore()
  const sale = makeSwipe({ lines: [{ sku: 'TEA', category: 'Drinks', quantity: '2', unit_price: '3.00' }], total: '6.00' })
  const filler = Array.from({ length: 30 }, () => makeSwipe())
  const ret = makeSwipe({ kind: 'return', original_txn_id: sale.txn_id, card_number: sale.card_number, lines: [{ sku: 'TEA', category: 'Drinks', quantity: '1', unit_price: '3.00' }], total: '3.00' })
  const stream = [sale, ...filler, ret].map((s) => JSON.stringify(s))
  const report = await recordBulk({ pg: platform.db.pg, loadProgramme: createProgrammeLoader(), expiryMonths: 24, clock: () => new Date(), skewSeconds: 300 }, shop.storeId, stream.map((l) => `${l}\n`), {
    chunkSize: 7,
    maxRejectionsListed: 10,
    maxLineBytes: 1 << 20,
  })
  expect(report).toMatchObject({ accepted: 32, rejected: 0 })
})

test('past the listing cap, rejections are counted but not listed, so memory stays bounded', async () => {
  const shop = await platform.createStore()
  const bad = Array.from({ length: 25 }, () => 'not json\n')
  const report = await recordBulk({ pg: platform.db.pg, loadProgramme: createProgrammeLoader(), expiryMonths: 24, clock: () => new Date(), skewSeconds: 300 }, shop.storeId, bad, {
    chunkSize: 5,
    maxRejectionsListed: 10,
    maxLineBytes: 1 << 20,
  })
  expect(report).toMatchObject({ lines: 25, rejected: 25, rejections_truncated: true })
  expect(report.rejections).toHaveLength(10)
})

test('a body that is not NDJSON is a 415; a line too long is a 400', async () => {
  const shop = await platform.createStore()
  const wrongType = await fetch(`${platform.baseUrl}/v1/swipes/bulk`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml', authorization: `Bearer ${shop.key}` },
    body: '<swipes/>',
  })
  expect(wrongType.status).toBe(415)
  const huge = await postBulk(shop.key, 'x'.repeat(5 * 1024 * 1024))
  expect(huge.status).toBe(400)
})

test('bulk needs a key too', async () => {
  expect((await postBulk('lsk_nope', JSON.stringify(makeSwipe()))).status).toBe(401)
})

test('a till that hangs up mid-stream loses nothing already sent, and a resend completes the rest', async () => {
  const shop = await platform.createStore()
  const swipes = Array.from({ length: 5000 }, () => JSON.stringify(makeSwipe()))
  const count = async () =>
    Number((await platform.db.pg.query<{ n: string }>('SELECT count(*) AS n FROM ingest_journal WHERE store_id = $1', [shop.storeId]))[0]!.n)
  const controller = new AbortController()
  let sent = 0
  const body = new ReadableStream({
    async pull(ctrl) {
      if (sent >= 3000) {
        // Let the server commit a chunk, then hang up without ending the stream.
        await pollUntil('a chunk committed', async () => ((await count()) > 0 ? true : undefined), 30_000, 50)
        controller.abort()
        return
      }
      ctrl.enqueue(new TextEncoder().encode(swipes.slice(sent, sent + 500).join('\n') + '\n'))
      sent += 500
    },
  })
  await expect(
    fetch(`${platform.baseUrl}/v1/swipes/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${shop.key}` },
      body,
      duplex: 'half',
      signal: controller.signal,
    } as RequestInit),
  ).rejects.toThrow()

  expect((await fetch(`${platform.baseUrl}/healthz`)).status).toBe(200)
  const kept = await count()

  const report = await json(postBulk(shop.key, swipes.join('\n')))
  expect(report).toMatchObject({ accepted: 5000 - kept, replayed: kept, rejected: 0 })
  expect(await count()).toBe(5000)
})
