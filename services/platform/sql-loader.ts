import fs from 'node:fs'
import path from 'node:path'
import { SQL_DIR } from './migrator'

const cache = new Map<string, string>()

/**
 * The text of a named SQL file under `sql/` (e.g. `postgres/queries/ingest/insert-journal`),
 * read once. SQL lives in files so it reads as SQL and reviews as SQL (STYLE.md §12).
 */
export function sql(name: string): string {
  let text = cache.get(name)
  if (text === undefined) {
    text = fs.readFileSync(path.join(SQL_DIR, `${name}.sql`), 'utf8')
    cache.set(name, text)
  }
  return text
}
