import { ClickHouseLogLevel, createClient } from '@clickhouse/client'
import { CLICKHOUSE_DEFAULTS } from '../platform/clickhouse'
import { chRows } from '../../test/helpers/databases'
import { makeSwipe } from '../../test/helpers/factories'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { shipOnceClaimed } from '../../test/helpers/shipping'
import { journalLag } from './shipper'

let platform: TestPlatform

beforeAll(async () => {
  platform = await startTestPlatform()
})
afterAll(() => platform.close())

const countIn = async (table: string, storeId: string) =>
  Number((await chRows<{ n: string }>(platform.ch, `SELECT count() AS n FROM ${table} WHERE store_id = {s:String}`, { s: storeId }))[0]!.n)

/** A real ClickHouse client aimed at a port where nothing listens: ClickHouse is down. */
function unreachableClickHouse() {
  const client = createClient({
    url: 'http://127.0.0.1:1',
    request_timeout: 1000,
    clickhouse_settings: CLICKHOUSE_DEFAULTS,
    log: { level: ClickHouseLogLevel.OFF },
  })
  return { client, engine: 'server' as const, database: 'loyalty', close: () => client.close() }
}

test('while ClickHouse is down, tills still get 2xx and swipes wait in the journal; they drain once it is back', async () => {
  const shop = await platform.createStore()
  const down = platform.shipper({ ch: unreachableClickHouse() })
  const swipes = Array.from({ length: 25 }, () => makeSwipe())
  const res = await platform.post('/v1/swipes', swipes, shop.key)
  expect(res.status).toBe(200)
  expect((await json(res)).accepted).toBe(25)

  await expect(shipOnceClaimed(down)).rejects.toThrow()
  await expect(shipOnceClaimed(down)).rejects.toThrow() // retried: still down, still nothing lost
  expect((await journalLag(platform.db.pg)).rows).toBeGreaterThanOrEqual(25)
  expect((await platform.post('/v1/swipes', makeSwipe(), shop.key)).status).toBe(201)

  await platform.shipper().drain() // ClickHouse is back
  expect(await countIn('swipes', shop.storeId)).toBe(26)
  expect(await countIn('swipe_lines', shop.storeId)).toBe(52)
  expect((await journalLag(platform.db.pg)).rows).toBe(0)
})

test('a crash between the ClickHouse insert and the mark creates no duplicate in any result', async () => {
  const shop = await platform.createStore()
  await platform.post('/v1/swipes', Array.from({ length: 40 }, () => makeSwipe()), shop.key)
  const crashing = platform.shipper({
    afterInsert: async () => {
      throw new Error('simulated crash after insert, before mark')
    },
  })
  await expect(shipOnceClaimed(crashing)).rejects.toThrow('simulated crash')
  expect(await countIn('swipes', shop.storeId)).toBe(40) // the rows did reach ClickHouse…
  expect((await journalLag(platform.db.pg)).rows).toBe(40) // …but the journal does not know it

  // More swipes arrive before the restart; the restarted shipper re-sends the unmarked batch first.
  await platform.post('/v1/swipes', Array.from({ length: 10 }, () => makeSwipe()), shop.key)
  await platform.shipper().drain()

  expect(await countIn('swipes', shop.storeId)).toBe(50) // plain count(), no FINAL
  expect(await countIn('swipe_lines', shop.storeId)).toBe(100)
  const [sums] = await chRows<{ total: string; distinct_txn: string }>(
    platform.ch,
    'SELECT sum(total) AS total, uniqExact(txn_id) AS distinct_txn FROM swipes WHERE store_id = {s:String}',
    { s: shop.storeId },
  )
  expect(sums).toEqual({ total: '198.5', distinct_txn: '50' })
  expect((await journalLag(platform.db.pg)).rows).toBe(0)
})

test('two shippers racing over the journal ship every swipe exactly once', async () => {
  const shop = await platform.createStore()
  for (let i = 0; i < 5; i++) await platform.post('/v1/swipes', Array.from({ length: 30 }, () => makeSwipe()), shop.key)
  const a = platform.shipper({ batchRows: 20 })
  const b = platform.shipper({ batchRows: 20 })
  await Promise.all([a.drain(), b.drain()])
  expect(await countIn('swipes', shop.storeId)).toBe(150)
})

test('the running loop ships new swipes without being asked and stops cleanly', async () => {
  const shop = await platform.createStore()
  const shipper = platform.shipper()
  shipper.start()
  await platform.post('/v1/swipes', [makeSwipe(), makeSwipe()], shop.key)
  for (let i = 0; i < 100 && (await countIn('swipes', shop.storeId)) < 2; i++) await new Promise((r) => setTimeout(r, 50))
  await shipper.stop()
  expect(await countIn('swipes', shop.storeId)).toBe(2)
})
