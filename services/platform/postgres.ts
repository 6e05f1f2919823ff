import crypto from 'node:crypto'
import { Pool, type PoolClient, type QueryResultRow } from 'pg'

/** The one module that owns the Postgres pool (STYLE.md §15). */
export interface Postgres {
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>
  /** `client` is the transaction's own connection, for what a Tx cannot do (COPY streams). */
  transaction<T>(fn: (tx: Tx, client: PoolClient) => Promise<T>): Promise<T>
  pool: Pool
  close(): Promise<void>
}

/** A query runner bound to one transaction's connection. */
export interface Tx {
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>
}

export function createPostgres(url: string, options: { max?: number } = {}): Postgres {
  const pool = new Pool({ connectionString: url, max: options.max ?? 20 })
  // An idle client erroring (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  const bind = (client: Pool | PoolClient): Tx['query'] =>
    async (sql, params) => (await client.query(params === undefined ? sql : { name: statementName(sql), text: sql, values: params })).rows

  return {
    pool,
    query: bind(pool),
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn({ query: bind(client) }, client)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    close: () => pool.end(),
  }
}

const statementNames = new Map<string, string>()

/**
 * Queries with parameters run as named prepared statements, one name per SQL text: each
 * connection parses and plans a statement once, not on every call (the swipe path runs a
 * dozen statements per write group). Parameterless calls stay simple queries, so multi-
 * statement scripts (migrations) still run.
 */
function statementName(sql: string): string {
  let name = statementNames.get(sql)
  if (name === undefined) {
    name = `q_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 20)}`
    statementNames.set(sql, name)
  }
  return name
}

/**
 * Creates the database named in `url` if it does not exist, so a fresh machine needs no
 * manual step. Connects to the server's `postgres` database to do it.
 */
export async function ensureDatabase(url: string, template?: string): Promise<void> {
  const target = new URL(url)
  const name = decodeURIComponent(target.pathname.slice(1))
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsupported database name: ${name}`)
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const pool = new Pool({ connectionString: admin.toString(), max: 1 })
  try {
    const found = await pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (found.rowCount) return
    // Identifiers cannot be bound as parameters; the name was checked against a strict pattern.
    const from = template ? ` TEMPLATE "${template}"` : ''
    await pool.query(`CREATE DATABASE "${name}"${from}`).catch((error: { code?: string }) => {
      if (error.code !== '42P04') throw error // created concurrently: fine
    })
  } finally {
    await pool.end()
  }
}
