import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ClickHouse } from './clickhouse'
import type { Postgres } from './postgres'

/** One numbered, append-only migration file: `NNNN_name.sql`. */
export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

interface AppliedMigration {
  version: number
  name: string
  checksum: string
}

/** What a database must offer the migrator: a ledger, a lock, and a way to run a file. */
export interface MigrationTarget {
  label: string
  withLock<T>(fn: () => Promise<T>): Promise<T>
  applied(): Promise<AppliedMigration[]>
  apply(migration: Migration): Promise<void>
}

export class MigrationError extends Error {}

export const SQL_DIR = path.resolve(__dirname, '../../sql')

/** Reads `dir` for `NNNN_name.sql` files, in version order. */
export function readMigrations(dir: string): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file)
      if (!match) throw new MigrationError(`${dir}/${file}: migration files are named NNNN_name.sql`)
      const sql = fs.readFileSync(path.join(dir, file), 'utf8')
      const checksum = crypto.createHash('sha256').update(sql).digest('hex')
      return { version: Number(match[1]), name: match[2]!, sql, checksum }
    })
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`${dir}: expected migration ${i + 1}, found ${m.version}`)
  })
  return migrations
}

/**
 * Applies the migrations the database lacks, in order. Refuses a database that has a
 * migration the code does not know (it is newer than the code) or whose applied file changed.
 * Re-running is a no-op. Returns the versions it applied.
 */
export async function migrate(target: MigrationTarget, migrations: Migration[]): Promise<number[]> {
  return target.withLock(async () => {
    const applied = await target.applied()
    const known = new Map(migrations.map((m) => [m.version, m]))
    for (const done of applied) {
      const file = known.get(done.version)
      if (!file) {
        throw new MigrationError(
          `${target.label}: the database has migration ${done.version} (${done.name}) that this code does not know; ` +
            'it is newer than the code, deploy the newer code',
        )
      }
      if (file.checksum !== done.checksum) {
        throw new MigrationError(
          `${target.label}: migration ${fileName(file)} changed after it was applied; ` +
            'applied migrations are append-only, add a new migration instead',
        )
      }
    }
    const doneVersions = new Set(applied.map((m) => m.version))
    const pending = migrations.filter((m) => !doneVersions.has(m.version))
    for (const migration of pending) await target.apply(migration)
    return pending.map((m) => m.version)
  })
}

/**
 * Postgres: a ledger table, a session advisory lock, each file in its own transaction. The
 * lock holds one pooled connection while the files run on another: the pool needs two.
 */
export function postgresTarget(pg: Postgres): MigrationTarget {
  const LOCK_KEY = 7_231_001 // any constant shared by every migrating process
  return {
    label: 'postgres',
    async withLock(fn) {
      const client = await pg.pool.connect()
      try {
        await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY])
        await pg.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now())`)
        return await fn()
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {})
        client.release()
      }
    },
    applied: () => pg.query<AppliedMigration>('SELECT version, name, checksum FROM schema_migrations ORDER BY version'),
    apply: (m) =>
      pg.transaction(async (tx) => {
        await tx.query(m.sql)
        await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ])
      }),
  }
}

/**
 * ClickHouse: a ledger table; DDL is not transactional, so migration files use
 * `IF NOT EXISTS` and a failed file can be re-run. Statements are separated by `;` at a line end.
 */
export function clickhouseTarget(ch: ClickHouse): MigrationTarget {
  const { client } = ch
  return {
    label: 'clickhouse',
    async withLock(fn) {
      await client.command({
        query: `CREATE TABLE IF NOT EXISTS schema_migrations (
          version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
        ) ENGINE = MergeTree ORDER BY version`,
      })
      return fn()
    },
    async applied() {
      const result = await client.query({
        query: 'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
        format: 'JSONEachRow',
      })
      return result.json<AppliedMigration>()
    },
    async apply(m) {
      for (const statement of splitStatements(m.sql)) await client.command({ query: statement })
      await client.insert({
        table: 'schema_migrations',
        values: [{ version: m.version, name: m.name, checksum: m.checksum }],
        format: 'JSONEachRow',
      })
    },
  }
}

/** The file a migration came from: `0003_name.sql`. */
export function fileName(m: Migration): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}.sql`
}

/** Splits a SQL file into statements at `;` ending a line; drops comment-only pieces. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim().length > 0)
}

/** Migrates both databases: what `npm run migrate` and start-up run. */
export async function migrateAll(pg: Postgres, ch: ClickHouse): Promise<{ postgres: number[]; clickhouse: number[] }> {
  const postgres = await migrate(postgresTarget(pg), readMigrations(path.join(SQL_DIR, 'postgres/migrations')))
  const clickhouse = await migrate(clickhouseTarget(ch), readMigrations(path.join(SQL_DIR, 'clickhouse/migrations')))
  return { postgres, clickhouse }
}
