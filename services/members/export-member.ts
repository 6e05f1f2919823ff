import type { ClickHouse } from '../platform/clickhouse'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { meRepo } from './me.repo'

export interface ExportDeps {
  pg: Postgres
  ch: ClickHouse
  clock: () => Date
}

type Row = Record<string, unknown>

/** Export sections read from Postgres, each one SQL file under privacy/ taking the member ids. */
const MEMBER_SECTIONS = {
  members: 'export-members',
  cards: 'export-cards',
  consents: 'export-consents',
  consent_events: 'export-consent-events',
  point_accounts: 'export-point-accounts',
  ledger: 'export-ledger',
  lots: 'export-lots',
  redemptions: 'export-redemptions',
  tier_changes: 'export-tier-changes',
  daily_spend: 'export-daily-spend',
} as const

/** Fields that hold a whole number of points: read as text (bigint), answered as numbers. */
const POINT_FIELDS = ['points', 'balance', 'balance_after', 'remaining']

/**
 * Everything the platform holds about a member, as one JSON document (docs/privacy.md): their
 * rows in Postgres (and those of members merged into them), audit entries about them, and
 * every swipe and basket line of their cards from ClickHouse plus journal rows not shipped
 * there yet. Null when there is no such member.
 */
export async function exportMember(deps: ExportDeps, memberId: string) {
  const held = await deps.pg.transaction(async (tx) => {
    await tx.query(sql('postgres/queries/privacy/snapshot'))
    const family = await meRepo.family(tx, memberId)
    if (family.length === 0) return null
    return readPostgres(tx, family)
  })
  if (!held) return null
  const cardNumbers = held.sections.cards.map((c) => String(c.card_number))
  const swipes = await readSwipes(deps.ch, cardNumbers)
  const inClickHouse = new Set(swipes.map((s) => `${s.store_id}\u0000${s.txn_id}`))
  return {
    format: 'loyalty.member-export.v1',
    generated_at: deps.clock().toISOString(),
    member_id: memberId,
    ...held.sections,
    audit: held.audit,
    swipes,
    // Accepted but not yet in ClickHouse: the journal's copy (the normalized swipe as accepted).
    unshipped_swipes: held.unshipped.filter((j) => !inClickHouse.has(`${j.store_id}\u0000${j.txn_id}`)),
  }
}

async function readPostgres(tx: Tx, family: string[]) {
  const sections = {} as Record<keyof typeof MEMBER_SECTIONS, Row[]>
  for (const [section, file] of Object.entries(MEMBER_SECTIONS) as [keyof typeof MEMBER_SECTIONS, string][]) {
    sections[section] = (await tx.query<Row>(sql(`postgres/queries/privacy/${file}`), [family])).map(pointsAsNumbers)
  }
  const cards = sections.cards.map((c) => String(c.card_number))
  const audit = await tx.query<Row>(sql('postgres/queries/privacy/export-audit'), [family, cards])
  const unshipped = await tx.query<{ store_id: string; txn_id: string; received_at: Date; swipe: unknown }>(
    sql('postgres/queries/privacy/unshipped-journal'),
    [cards],
  )
  return { sections, audit, unshipped }
}

function pointsAsNumbers(row: Row): Row {
  const out = { ...row }
  for (const field of POINT_FIELDS) if (typeof out[field] === 'string') out[field] = Number(out[field])
  return out
}

/** Swipes of these cards with their basket lines, from ClickHouse, with bound parameters. */
async function readSwipes(ch: ClickHouse, cards: string[]): Promise<Row[]> {
  if (cards.length === 0) return []
  const query = async (name: string) =>
    (await ch.client.query({ query: sql(`clickhouse/queries/privacy/${name}`), format: 'JSONEachRow', query_params: { cards } })).json<Row>()
  const swipes = await query('member-swipes')
  const linesOf = new Map<string, Row[]>()
  for (const line of await query('member-swipe-lines')) {
    const key = `${line.store_id}\u0000${line.txn_id}`
    const list = linesOf.get(key)
    if (list) list.push(line)
    else linesOf.set(key, [line])
  }
  return swipes.map((s) => ({ ...s, lines: linesOf.get(`${s.store_id}\u0000${s.txn_id}`) ?? [] }))
}
