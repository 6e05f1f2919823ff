import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createTestClickHouse, createTestPostgres, type TestPostgres } from '../../test/helpers/databases'
import type { ClickHouse } from './clickhouse'
import { clickhouseTarget, fileName, migrate, migrateAll, MigrationError, postgresTarget, readMigrations, SQL_DIR } from './migrator'

let db: TestPostgres
let ch: ClickHouse
let dir: string

beforeAll(async () => {
  db = await createTestPostgres()
  ch = await createTestClickHouse()
})
afterAll(async () => {
  await ch.close()
  await db.drop()
})
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'))
})

const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text)

test('the real migrations are already applied to a test database, and re-running them is a no-op', async () => {
  expect(await migrateAll(db.pg, ch)).toEqual({ postgres: [], clickhouse: [] })
  expect(await migrateAll(db.pg, ch)).toEqual({ postgres: [], clickhouse: [] })
})

describe.each([
  ['postgres', () => postgresTarget(db.pg), 'CREATE TABLE probe_a (id int)', 'CREATE TABLE probe_b (id int)'],
  [
    'clickhouse',
    () => clickhouseTarget(ch),
    'CREATE TABLE IF NOT EXISTS probe_a (id UInt32) ENGINE = MergeTree ORDER BY id',
    'CREATE TABLE IF NOT EXISTS probe_b (id UInt32) ENGINE = MergeTree ORDER BY id',
  ],
])('%s migrations', (label, target, first, second) => {
  test('apply in order once; a changed applied file is refused; a database newer than the code is refused', async () => {
    // The database already has the real migrations; the probes come after them.
    const real = readMigrations(path.join(SQL_DIR, label, 'migrations'))
    for (const m of real) write(fileName(m), m.sql)
    const next = (k: number) => String(real.length + k).padStart(4, '0')
    write(`${next(1)}_probe_a.sql`, `${first};\n`)
    write(`${next(2)}_probe_b.sql`, `-- a second table\n${second};\n`)
    expect(await migrate(target(), readMigrations(dir))).toEqual([real.length + 1, real.length + 2])
    expect(await migrate(target(), readMigrations(dir))).toEqual([])

    write(`${next(2)}_probe_b.sql`, `-- edited after it ran\n${second};\n`)
    const changed = migrate(target(), readMigrations(dir))
    await expect(changed).rejects.toThrow(MigrationError)
    await expect(changed).rejects.toThrow(new RegExp(`${next(2)}_probe_b\\.sql changed after it was applied`))

    fs.unlinkSync(path.join(dir, `${next(2)}_probe_b.sql`))
    await expect(migrate(target(), readMigrations(dir))).rejects.toThrow(/newer than the code/)
  })
})

test('a gap in the numbering is refused before anything runs', () => {
  write('0001_a.sql', 'SELECT 1;')
  write('0003_c.sql', 'SELECT 1;')
  expect(() => readMigrations(dir)).toThrow(/expected migration 2, found 3/)
})

test('a badly named file is refused', () => {
  write('1_a.sql', 'SELECT 1;')
  expect(() => readMigrations(dir)).toThrow(/NNNN_name\.sql/)
})
