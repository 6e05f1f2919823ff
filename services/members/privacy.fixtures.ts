import { chRows } from '../../test/helpers/databases'
import { makeSwipe, type LineInput } from '../../test/helpers/factories'
import type { TestPlatform } from '../../test/helpers/platform'

/** Posts sales on these cards through the till API (asserting each is accepted); returns them. */
export async function postSales(platform: TestPlatform, key: string, cards: string[], lines?: LineInput[]) {
  const swipes = cards.map((card_number) => makeSwipe({ card_number, ...(lines ? { lines } : {}) }))
  const res = await platform.post('/v1/swipes', swipes, key)
  const body = (await res.json()) as { accepted: number }
  if (res.status !== 200 || body.accepted !== swipes.length) throw new Error(`swipes refused: ${res.status} ${JSON.stringify(body)}`)
  return swipes
}

/**
 * Every place in the Postgres database where `needle` occurs (any case), as `table.column`:
 * all text, json and jsonb columns of every table, searched whole. For tests only: it builds
 * identifiers from the catalogue, quoted with format(%I).
 */
export async function findInPostgres(platform: TestPlatform, needle: string): Promise<string[]> {
  const columns = await platform.db.pg.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'json', 'jsonb', 'character varying', 'ARRAY')`,
  )
  const found: string[] = []
  for (const c of columns) {
    const [q] = await platform.db.pg.query<{ q: string }>(
      `SELECT format('SELECT count(*)::int AS n FROM %I WHERE strpos(lower(%I::text), lower($1)) > 0', $1::text, $2::text) AS q`,
      [c.table_name, c.column_name],
    )
    const [row] = await platform.db.pg.query<{ n: number }>(q!.q, [needle])
    if (row!.n > 0) found.push(`${c.table_name}.${c.column_name}`)
  }
  return found
}

/**
 * Every place in this test's ClickHouse database where `needle` occurs: each String column of
 * each table, and the text of the tables' mutations (kept by ClickHouse after they ran).
 */
export async function findInClickHouse(platform: TestPlatform, needle: string): Promise<string[]> {
  const columns = await chRows<{ table: string; name: string }>(
    platform.ch,
    `SELECT table, name FROM system.columns WHERE database = {db:String} AND type IN ('String', 'LowCardinality(String)', 'Array(String)')`,
    { db: platform.ch.database },
  )
  const found: string[] = []
  for (const c of columns) {
    const [row] = await chRows<{ n: string }>(
      platform.ch,
      `SELECT count() AS n FROM {table:Identifier} WHERE positionCaseInsensitive(toString({column:Identifier}), {needle:String}) > 0`,
      { table: c.table, column: c.name, needle },
    )
    if (Number(row!.n) > 0) found.push(`${c.table}.${c.name}`)
  }
  const [mutations] = await chRows<{ n: string }>(
    platform.ch,
    `SELECT count() AS n FROM system.mutations WHERE database = {db:String} AND position(command, {needle:String}) > 0`,
    { db: platform.ch.database, needle },
  )
  if (Number(mutations!.n) > 0) found.push('system.mutations')
  return found
}

/** Count and sums of the swipes and lines ClickHouse holds for these card numbers. */
export async function clickhouseTotals(platform: TestPlatform, cards: string[]) {
  const [swipes] = await chRows<{ n: string; total: string }>(
    platform.ch,
    'SELECT count() AS n, toString(sum(total)) AS total FROM swipes WHERE card_number IN {cards:Array(String)}',
    { cards },
  )
  const [lines] = await chRows<{ n: string; amount: string; quantity: string }>(
    platform.ch,
    'SELECT count() AS n, toString(sum(amount)) AS amount, toString(sum(quantity)) AS quantity FROM swipe_lines WHERE card_number IN {cards:Array(String)}',
    { cards },
  )
  return { swipes: Number(swipes!.n), total: swipes!.total, lines: Number(lines!.n), amount: lines!.amount, quantity: lines!.quantity }
}
