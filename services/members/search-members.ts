import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import type { MemberStatus } from './members.repo'
import type { SearchMembers } from './members.schemas'

export interface MemberSummary {
  id: string
  status: MemberStatus
  name: string | null
  email: string | null
  phone: string | null
  registered_at: string | null
  merged_into: string | null
  card_numbers: string[]
}

interface SummaryRow extends Omit<MemberSummary, 'registered_at'> {
  registered_at: Date | null
}

/** The user's text as a substring pattern: % and _ are literal, not wildcards. */
const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/**
 * GET /v1/members: members matching every filter given (e-mail exactly, card number exactly,
 * q as a substring of name, e-mail or phone), in id order, one page at a time: `next` is the
 * `after` of the following page, null on the last.
 */
export async function searchMembers(pg: Postgres, query: SearchMembers): Promise<{ members: MemberSummary[]; next: string | null }> {
  // One row more than the page tells whether another page follows.
  const rows = await pg.query<SummaryRow>(sql('postgres/queries/members/search-members'), [
    query.email ?? null,
    query.card_number ?? null,
    query.q === undefined ? null : containsPattern(query.q),
    query.after ?? null,
    query.limit + 1,
  ])
  const page = rows.slice(0, query.limit)
  return {
    members: page.map((r) => ({ ...r, registered_at: r.registered_at?.toISOString() ?? null })),
    next: rows.length > query.limit ? page[page.length - 1]!.id : null,
  }
}
