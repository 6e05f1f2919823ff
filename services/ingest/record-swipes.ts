import type { Postgres } from '../platform/postgres'
import { maskCardNumber } from './card-number'
import { clickhouseRows } from './clickhouse-rows'
import { journalQueries, journalKey, type JournalEntry, type JournalQueries, type StoredEntry, type SwipeAnswer } from './journal.repo'
import { checkReturn } from './return-rules'
import { checkSwipe, type FieldProblem, type RuleContext } from './swipe-rules'

/** How one posted swipe ended: kept (first time), kept before (a retry), or refused. */
export type SwipeOutcome =
  | { status: 'accepted'; answer: SwipeAnswer }
  | { status: 'replayed'; answer: SwipeAnswer }
  | { status: 'rejected'; httpStatus: 400 | 409; detail: string; problems: FieldProblem[] }

/** A posted swipe with the JSON path its problems are reported under (`$`, `$[3]`). */
export interface PostedSwipe {
  body: unknown
  at: string
}

/** One post's swipes, checked and normalized, ready to be committed; refusals already known. */
export interface PreparedSwipes {
  posted: PostedSwipe[]
  outcomes: (SwipeOutcome | undefined)[]
  /** Index in `posted` → its journal entry, for every swipe that passed the checks. */
  entries: Map<number, JournalEntry>
}

const CONFLICT: SwipeOutcome = {
  status: 'rejected',
  httpStatus: 409,
  detail: 'this txn_id was already recorded at this store with a different body',
  problems: [],
}

/**
 * Recording a post of swipes is two halves: prepareSwipes (CPU) checks each swipe on its own,
 * and commitSwipes (I/O) appends the good ones to the ingest journal with their unknown cards
 * as anonymous cards. The router commits through group-commit.ts; bulk streams call
 * commitSwipes a chunk at a time.
 *
 * The CPU half: shape, arithmetic and clock checks, normalization, hashing. No I/O.
 */
export function prepareSwipes(storeId: string, posted: PostedSwipe[], ctx: RuleContext): PreparedSwipes {
  const prepared: PreparedSwipes = { posted, outcomes: new Array(posted.length), entries: new Map() }
  posted.forEach(({ body, at }, i) => {
    const check = checkSwipe(body, ctx, at)
    if (!check.ok) {
      prepared.outcomes[i] = { status: 'rejected', httpStatus: 400, detail: 'the swipe is invalid', problems: check.problems }
      return
    }
    prepared.entries.set(i, {
      storeId,
      at,
      swipe: check.swipe,
      json: check.json,
      hash: check.hash,
      answer: answerFor(storeId, check.swipe, ctx.now),
      clickhouse: clickhouseRows(storeId, check.swipe, ctx.now),
    })
  })
  return prepared
}

/** True when the posts hold returns, which must lock their sales inside a transaction. */
export const holdsReturns = (posts: PreparedSwipes[]) =>
  posts.some((p) => [...p.entries.values()].some((e) => e.swipe.kind === 'return'))

/**
 * The I/O half: writes one or more posts' prepared swipes together (one statement when they
 * hold only sales) and returns each post's outcomes in order. A (store, txn_id) that appears
 * twice among them is written once; later copies answer like a retry of the first.
 */
export async function commitSwipes(pg: Postgres, posts: PreparedSwipes[]): Promise<SwipeOutcome[][]> {
  const firsts = new Map<string, JournalEntry>()
  const copies: { post: PreparedSwipes; index: number; entry: JournalEntry }[] = []
  for (const post of posts) {
    for (const [index, entry] of post.entries) {
      const key = journalKey(entry.storeId, entry.swipe.txn_id)
      if (firsts.has(key)) copies.push({ post, index, entry })
      else firsts.set(key, entry)
    }
  }
  const settled =
    firsts.size === 0
      ? new Map<JournalEntry, SwipeOutcome>()
      : await withRetry(() =>
          holdsReturns(posts)
            ? pg.transaction((tx) => writeEntries(journalQueries(tx), [...firsts.values()]))
            : writeEntries(journalQueries(pg), [...firsts.values()]),
        )
  for (const post of posts) {
    for (const [index, entry] of post.entries) if (settled.has(entry)) post.outcomes[index] = settled.get(entry)
  }
  for (const { post, index, entry } of copies) {
    const firstEntry = firsts.get(journalKey(entry.storeId, entry.swipe.txn_id))!
    const first = settled.get(firstEntry)!
    post.outcomes[index] =
      firstEntry.hash !== entry.hash ? CONFLICT : first.status === 'rejected' ? first : { status: 'replayed', answer: first.answer }
  }
  return posts.map((p) => p.outcomes as SwipeOutcome[])
}

async function writeEntries(journal: JournalQueries, entries: JournalEntry[]): Promise<Map<JournalEntry, SwipeOutcome>> {
  const settled = new Map<JournalEntry, SwipeOutcome>()
  // Sales in one statement, in (store, txn_id) order so concurrent writers lock in one order.
  const sales = entries.filter((e) => e.swipe.kind === 'sale').sort((a, b) => compare(journalKey(a.storeId, a.swipe.txn_id), journalKey(b.storeId, b.swipe.txn_id)))
  const inserted = await journal.append(sales)
  const existing = await journal.find(sales.filter((e) => !inserted.has(journalKey(e.storeId, e.swipe.txn_id))))
  for (const entry of sales) settled.set(entry, settle(entry, inserted, existing))

  // Returns one at a time: each locks its sale, so returns against it are checked in turn.
  for (const entry of entries.filter((e) => e.swipe.kind === 'return')) {
    const before = await journal.find([entry])
    if (before.size > 0) {
      settled.set(entry, settle(entry, new Set(), before))
      continue
    }
    const originalTxnId = entry.swipe.original_txn_id!
    const original = await journal.lockOriginalSale(entry.storeId, originalTxnId)
    const problems = checkReturn(entry.swipe, original, await journal.returnedSoFar(entry.storeId, originalTxnId), entry.at)
    if (problems.length > 0) {
      settled.set(entry, { status: 'rejected', httpStatus: 400, detail: 'the return does not match its sale', problems })
      continue
    }
    const added = await journal.append([entry])
    settled.set(entry, settle(entry, added, added.size ? new Map() : await journal.find([entry])))
  }
  return settled
}

function settle(entry: JournalEntry, inserted: Set<string>, existing: Map<string, StoredEntry>): SwipeOutcome {
  const key = journalKey(entry.storeId, entry.swipe.txn_id)
  if (inserted.has(key)) return { status: 'accepted', answer: entry.answer }
  const stored = existing.get(key)!
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

/** Retries a write that lost a deadlock or serialization race (it wrote nothing). */
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
