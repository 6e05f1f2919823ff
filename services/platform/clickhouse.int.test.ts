import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chRows, createTestClickHouse, workerClickHouseDir } from '../../test/helpers/databases'
import { createClickHouse, insertTsv, type ClickHouse } from './clickhouse'

/** Guards for each trap in CLICKHOUSE.md, on the embedded engine the tests and CI run. */
let ch: ClickHouse

beforeAll(async () => {
  ch = await createTestClickHouse()
  await ch.client.command({
    query: `CREATE TABLE dedup_probe (id UInt32, v String) ENGINE = MergeTree ORDER BY id
            SETTINGS non_replicated_deduplication_window = 100`,
  })
})
afterAll(() => ch.close())

const count = async (table: string) => Number((await chRows<{ n: string }>(ch, `SELECT count() AS n FROM ${table}`))[0]!.n)

test('trap 1: a dedup token on one insert does not deduplicate later inserts', async () => {
  // insertTsv is how the shipper writes: its settings go in the INSERT's own SETTINGS clause.
  await insertTsv(ch.client, 'dedup_probe', ['id', 'v'], '1\ta', { insert_deduplication_token: 'tok-1' })
  await insertTsv(ch.client, 'dedup_probe', ['id', 'v'], '1\ta', { insert_deduplication_token: 'tok-1' })
  expect(await count('dedup_probe')).toBe(1) // the same token twice: one copy

  // Later inserts without a token: had 'tok-1' stuck to the session, they would carry it and be
  // dropped as repeats of the first.
  await insertTsv(ch.client, 'dedup_probe', ['id', 'v'], '2\tb')
  await ch.client.insert({ table: 'dedup_probe', values: [{ id: 3, v: 'b' }], format: 'JSONEachRow' })
  await insertTsv(ch.client, 'dedup_probe', ['id', 'v'], '4\tc', { insert_deduplication_token: 'tok-2' })
  expect(await count('dedup_probe')).toBe(4)
  const [setting] = await chRows<{ value: string }>(ch, "SELECT value FROM system.settings WHERE name = 'insert_deduplication_token'")
  expect(setting!.value).toBe('')
})

test('trap 2: DateTime64 goes in as a UTC string with milliseconds and comes back unchanged', async () => {
  await ch.client.command({ query: "CREATE TABLE ts_probe (t DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY t" })
  await insertTsv(ch.client, 'ts_probe', ['t'], '2026-03-29 01:30:00.123')
  expect(await chRows(ch, 'SELECT t, toUnixTimestamp64Milli(t) AS ms FROM ts_probe')).toEqual([
    { t: '2026-03-29 01:30:00.123', ms: String(Date.parse('2026-03-29T01:30:00.123Z')) },
  ])
})

test('trap 3: 64-bit integers and decimals come back as strings, exactly', async () => {
  const [row] = await chRows(ch, "SELECT toUInt64('18446744073709551615') AS big, toDecimal64('12345678901234.56', 2) AS money")
  expect(row).toEqual({ big: '18446744073709551615', money: '12345678901234.56' })
})

test('trap 4: a second data directory cannot be opened while one is live in this process', async () => {
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-other-'))
  try {
    await expect(createClickHouse({ CLICKHOUSE_URL: undefined, CLICKHOUSE_DATABASE: 'x', DATA_DIR: other })).rejects.toThrow()
  } finally {
    fs.rmSync(other, { recursive: true, force: true })
  }
})

test('trap 5: a closed client can be reopened on the same directory and sees the data', async () => {
  const database = ch.database
  await ch.client.command({ query: 'CREATE TABLE reopen_probe (id UInt32) ENGINE = MergeTree ORDER BY id' })
  await insertTsv(ch.client, 'reopen_probe', ['id'], '7')
  await ch.close()
  ch = await createClickHouse({ CLICKHOUSE_URL: undefined, CLICKHOUSE_DATABASE: database, DATA_DIR: workerClickHouseDir() })
  expect(await chRows(ch, 'SELECT id FROM reopen_probe')).toEqual([{ id: 7 }])
})

test('query parameters are bound, never interpolated', async () => {
  const hostile = "x' OR 1=1 --"
  expect(await chRows(ch, 'SELECT {v:String} AS v', { v: hostile })).toEqual([{ v: hostile }])
})
