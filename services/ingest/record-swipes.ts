import type { Postgres } from '../platform/postgres'
import { maskCardNumber } from './card-number'
import { clickhouseRows } from './clickhouse-rows'
import { journalQueries, type JournalEntry, type JournalQueries, type SwipeAnswer } from './journal.repo'
import { checkReturn } from './return-rules'
import { checkSwipe, type FieldProblem, type RuleContext } from './swipe-rules'

/** How one posted swipe ended: kept (first time), kept before (a retry), or refused. */
export type SwipeOutcome =
  | { status: 'accepted'; answer: SwipeAnswer }
  | { status: 'replayed'; answer: SwipeAnswer }
  | { status: 'rejected'; httpStatus: 400 | 409; detail: string; problems: FieldProblem[] }

export interface RecordSwipesDeps {
  pg: Postgres
  clock: () => Date
  skewSeconds: number
}

/** A posted swipe with the JSON path its problems are reported under (`$`, `$[3]`). */
export interface PostedSwipe {
  body: unknown
  at: string
}

const CONFLICT: SwipeOutcome = {
  status: 'rejected',
  httpStatus: 409,
  detail: 'this txn_id was already recorded at this store with a different body',
  problems: [],
}

/** Swipes checked and normalized, ready to be committed; holds the refusals already known. */
export interface PreparedSwipes {
  storeId: string
  posted: PostedSwipe[]
  outcomes: (SwipeOutcome | undefined)[]
  /** Index of the first copy of each txn_id → its journal entry. */
  entries: Map<number, JournalEntry>
  /** Later copies of a txn_id in the same post, settled against the first. */
  copies: { index: number; txnId: string; hash: string }[]
}

/**
 * Records swipes posted by one store's till: validate each on its own, then one Postgres
 * transaction appends the good ones to the ingest journal (and their unknown cards as
 * anonymous cards). A (store, txn_id) already in the journal gets its first answer back and
 * books nothing; with another body it is a conflict. Outcomes come back in input order.
 */
export async function recordSwipes(deps: RecordSwipesDeps, storeId: string, posted: PostedSwipe[]): Promise<SwipeOutcome[]> {
  return commitSwipes(deps.pg, prepareSwipes(storeId, posted, { now: deps.clock(), skewSeconds: deps.skewSeconds }))
}

/** The CPU half: shape, arithmetic and clock checks, normalization, hashing. No I/O. */
export function prepareSwipes(storeId: string, posted: PostedSwipe[], ctx: RuleContext): PreparedSwipes {
  const prepared: PreparedSwipes = { storeId, posted, outcomes: new Array(posted.length), entries: new Map(), copies: [] }
  const firstIndexOf = new Map<string, number>()
  posted.forEach(({ body, at }, i) => {
    const check = checkSwipe(body, ctx, at)
    if (!check.ok) {
      prepared.outcomes[i] = { status: 'rejected', httpStatus: 400, detail: 'the swipe is invalid', problems: check.problems }
      return
    }
    const txnId = check.swipe.txn_id
    if (firstIndexOf.has(txnId)) {
      prepared.copies.push({ index: i, txnId, hash: check.hash })
      return
    }
    firstIndexOf.set(txnId, i)
    prepared.entries.set(i, {
      swipe: check.swipe,
      hash: check.hash,
      answer: answerFor(storeId, check.swipe, ctx.now),
      clickhouse: clickhouseRows(storeId, check.swipe, ctx.now),
    })
  })
  return prepared
}

/** The I/O half: one transaction writes the prepared swipes; returns every outcome in order. */
export async function commitSwipes(pg: Postgres, prepared: PreparedSwipes): Promise<SwipeOutcome[]> {
  const { storeId, posted, outcomes, entries } = prepared
  if (entries.size > 0) {
    const settled = await withRetry(() =>
      pg.transaction((tx) => writeEntries(journalQueries(tx), storeId, [...entries], posted)),
    )
    for (const [i, outcome] of settled) outcomes[i] = outcome
  }
  const firstIndexOf = new Map([...entries].map(([i, e]) => [e.swipe.txn_id, i]))
  for (const copy of prepared.copies) {
    const firstIndex = firstIndexOf.get(copy.txnId)!
    const first = outcomes[firstIndex]!
    const sameBody = entries.get(firstIndex)!.hash === copy.hash
    outcomes[copy.index] = !sameBody ? CONFLICT : first.status === 'rejected' ? first : { status: 'replayed', answer: first.answer }
  }
  return outcomes as SwipeOutcome[]
}

async function writeEntries(
  journal: JournalQueries,
  storeId: string,
  firsts: (readonly [number, JournalEntry])[],
  posted: PostedSwipe[],
): Promise<Map<number, SwipeOutcome>> {
  const settled = new Map<number, SwipeOutcome>()
  await journal.recordCards(storeId, firsts.map(([, e]) => e.swipe.card_number))

  // Sales in one statement, in txn_id order so that concurrent posts take row locks in one order.
  const sales = firsts.filter(([, e]) => e.swipe.kind === 'sale').sort(([, a], [, b]) => compare(a.swipe.txn_id, b.swipe.txn_id))
  const inserted = await journal.append(storeId, sales.map(([, e]) => e))
  const existing = await journal.find(
    storeId,
    sales.filter(([, e]) => !inserted.has(e.swipe.txn_id)).map(([, e]) => e.swipe.txn_id),
  )
  for (const [i, entry] of sales) settled.set(i, settle(entry, inserted, existing))

  // Returns one at a time: each locks its sale, so returns against it are checked in turn.
  for (const [i, entry] of firsts.filter(([, e]) => e.swipe.kind === 'return')) {
    const before = await journal.find(storeId, [entry.swipe.txn_id])
    if (before.size > 0) {
      settled.set(i, settle(entry, new Set(), before))
      continue
    }
    const originalTxnId = entry.swipe.original_txn_id!
    const original = await journal.lockOriginalSale(storeId, originalTxnId)
    const problems = checkReturn(entry.swipe, original, await journal.returnedSoFar(storeId, originalTxnId), posted[i]!.at)
    if (problems.length > 0) {
      settled.set(i, { status: 'rejected', httpStatus: 400, detail: 'the return does not match its sale', problems })
      continue
    }
    const added = await journal.append(storeId, [entry])
    settled.set(i, settle(entry, added, added.size ? new Map() : await journal.find(storeId, [entry.swipe.txn_id])))
  }
  return settled
}

function settle(entry: JournalEntry, inserted: Set<string>, existing: Map<string, { body_hash: string; answer: SwipeAnswer }>): SwipeOutcome {
  if (inserted.has(entry.swipe.txn_id)) return { status: 'accepted', answer: entry.answer }
  const stored = existing.get(entry.swipe.txn_id)!
  return stored.body_hash === entry.hash ? { status: 'replayed', answer: stored.answer } : CONFLICT
}

function answerFor(storeId: string, swipe: JournalEntry['swipe'], now: Date): SwipeAnswer {
  return {
    txn_id: swipe.txn_id,
    store_id: storeId,
    kind: swipe.kind,
    card: maskCardNumber(swipe.card_number),
    total: swipe.total,
    line_count: swipe.lines.length,
    accepted_at: now.toISOString(),
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Retries a transaction that lost a deadlock or serialization race (it wrote nothing). */
async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      const code = (error as { code?: string }).code
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw error
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt))
    }
  }
}
