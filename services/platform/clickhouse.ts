import fs from 'node:fs'
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client'
import type { Config } from './config'

export type { ClickHouseClient }

/**
 * Settings both engines get, at client level only (CLICKHOUSE.md trap 1: per-call settings
 * leak into every later call on the embedded engine, so no call passes its own).
 */
export const CLICKHOUSE_DEFAULTS: ClickHouseSettings = {
  // Trap 3: 64-bit integers as JSON strings on both engines; parse them with zod.
  output_format_json_quote_64bit_integers: 1,
  // Money: Decimals come back as strings, never as binary floats.
  output_format_json_quote_decimals: 1,
  // Trap 2: accept ISO 8601 strings with offsets for DateTime64 on input.
  date_time_input_format: 'best_effort',
}

export interface ClickHouse {
  client: ClickHouseClient
  /** 'embedded' (chDB in-process) or 'server' (HTTP). */
  engine: 'embedded' | 'server'
  database: string
  close(): Promise<void>
}

type ClickHouseConfig = Pick<Config, 'CLICKHOUSE_URL' | 'CLICKHOUSE_DATABASE' | 'DATA_DIR'>

/**
 * The one place that decides the engine. Tables in SQL files are unqualified: the server gets
 * the database as the client's default, the embedded engine gets it once with `USE`.
 */
export async function createClickHouse(config: ClickHouseConfig): Promise<ClickHouse> {
  const database = config.CLICKHOUSE_DATABASE
  if (config.CLICKHOUSE_URL) {
    const bootstrap = createClient({ url: config.CLICKHOUSE_URL, clickhouse_settings: CLICKHOUSE_DEFAULTS })
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` })
    await bootstrap.close()
    const client = createClient({ url: config.CLICKHOUSE_URL, database, clickhouse_settings: CLICKHOUSE_DEFAULTS })
    return { client, engine: 'server', database, close: () => client.close() }
  }
  // Loaded lazily so a server deployment never opens the native engine.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createChdbConnection } = require('chdb/connection') as typeof import('chdb/connection')
  fs.mkdirSync(config.DATA_DIR, { recursive: true })
  // chdb types its Connection against its own copy of @clickhouse/client-common; the
  // interface is the same one, so the cast only bridges the two declaration files.
  type ClientConnection = NonNullable<Parameters<typeof createClient>[0]>['connection']
  const client = createClient({
    connection: createChdbConnection({ path: `${config.DATA_DIR}/clickhouse` }) as unknown as ClientConnection,
    clickhouse_settings: CLICKHOUSE_DEFAULTS,
  })
  // The database name passed the config's identifier pattern; identifiers cannot be bound.
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` })
  await client.command({ query: `USE ${database}` })
  return { client, engine: 'embedded', database, close: () => client.close() }
}

/**
 * Inserts TabSeparated text already built, one row per line, in `columns` order. Per-insert
 * settings (such as `insert_deduplication_token`, which makes a repeat of the same insert a
 * no-op) go in the statement's SETTINGS clause, so they are scoped to this insert on both
 * engines (CLICKHOUSE.md trap 1: per-call `clickhouse_settings` leak on the embedded engine).
 */
export async function insertTsv(
  client: ClickHouseClient,
  table: string,
  columns: readonly string[],
  text: string | null,
  settings: Record<string, string | number> = {},
): Promise<void> {
  if (!text) return
  // exec() sends the byte stream as the body, as is, on both engines.
  const { stream } = await client.exec({
    query: `INSERT INTO ${table} (${columns.join(', ')}) ${settingsClause(settings)} FORMAT TabSeparated`,
    values: Readable.from([Buffer.from(text)], { objectMode: false }),
  })
  stream.resume()
  await finished(stream)
}

/** `SETTINGS a = 1, b = 'x'` (or nothing): the values are checked to be plain words or numbers. */
function settingsClause(settings: Record<string, string | number>): string {
  const clauses = Object.entries(settings).map(([name, value]) => {
    if (!/^[a-z_]+$/.test(name)) throw new Error(`not a setting name: ${name}`)
    if (typeof value === 'string' && !/^[A-Za-z0-9_:.-]*$/.test(value)) throw new Error(`setting ${name} must be a plain word`)
    return `${name} = ${typeof value === 'number' ? value : `'${value}'`}`
  })
  return clauses.length > 0 ? `SETTINGS ${clauses.join(', ')}` : ''
}
