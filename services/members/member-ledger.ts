import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import type { LedgerQuery } from './me.schemas'
import { meRepo, type LedgerRow } from './me.repo'

/** The cursor is opaque to clients (they may not build one): base64url of `l<ledger id>`. */
const encodeCursor = (ledgerId: string) => Buffer.from(`l${ledgerId}`).toString('base64url')

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!/^l\d{1,19}$/.test(text)) throw AppError.badRequest('the query string is not valid', [{ path: '$.cursor', message: 'is not a cursor from a previous page' }])
  return text.slice(1)
}

/**
 * GET /v1/me/ledger: the member's ledger entries and those of members merged into them, by
 * ledger id descending (about newest first: ids are reserved in blocks per writer, see
 * points/ledger.ts), a page at a time. Keyset paging by id, so entries booked while a member
 * pages never shift a page or appear twice.
 */
export async function memberLedger(deps: { pg: Postgres }, memberId: string, query: LedgerQuery) {
  const before = query.cursor === undefined ? null : decodeCursor(query.cursor)
  const family = await meRepo.family(deps.pg, memberId)
  const rows = await meRepo.ledgerPage(deps.pg, family, before, query.limit + 1)
  const page = rows.slice(0, query.limit)
  return {
    items: page.map((r) => entry(r, memberId)),
    next_cursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!.id) : null,
  }
}

function entry(r: LedgerRow, memberId: string) {
  return {
    id: r.id,
    kind: r.kind,
    points: Number(r.points),
    // For entries of a member merged into this one: that account's balance at the time.
    balance_after: Number(r.balance_after),
    reason: r.reason,
    source_type: r.source_type,
    store_id: r.store_id,
    txn_id: r.txn_id,
    occurred_at: r.occurred_at,
    booked_at: r.booked_at,
    detail: r.detail,
    ...(r.member_id === memberId ? {} : { merged_from: r.member_id }),
  }
}
