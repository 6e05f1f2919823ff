import { redeemCoupons } from '../campaigns/redeem-coupons'
import type { Postgres, Tx } from '../platform/postgres'
import type { IdPool } from '../points/ledger'
import type { Programme, ProgrammeLoader } from '../points/programme'
import { bookReturn, bookSales, lockSaleAccounts, RetryableConflict, type PointsContext } from '../points/swipe-points'
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

/** What writing swipes needs besides the posts: the database and the points programme. */
export interface CommitContext {
  pg: Postgres
  loadProgramme: ProgrammeLoader
  expiryMonths: number
  clock: () => Date
  /** False: swipes are recorded with their cards, but earn nothing (POINTS_SCORING=off). */
  scoring?: boolean
  /** Ledger ids for this app's bookings (one pool per database). */
  ids?: IdPool
}

/**
 * The I/O half: writes one or more posts' prepared swipes together, in one transaction with
 * their points (a fixed number of statements for all the sales, then each return in turn),
 * and returns each post's outcomes in order. A (store, txn_id) that appears twice among them
 * is written once; later copies answer like a retry of the first.
 */
export async function commitSwipes(ctx: CommitContext, posts: PreparedSwipes[]): Promise<SwipeOutcome[][]> {
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
          ctx.pg.transaction((tx) =>
            writeEntries(tx, [...firsts.values()], {
              loadProgramme: ctx.loadProgramme,
              expiryMonths: ctx.expiryMonths,
              now: ctx.clock(),
              scoring: ctx.scoring ?? true,
              ids: ctx.ids,
            }),
          ),
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

async function writeEntries(tx: Tx, entries: JournalEntry[], points: PointsContext): Promise<Map<JournalEntry, SwipeOutcome>> {
  const journal = journalQueries(tx)
  const settled = new Map<JournalEntry, SwipeOutcome>()
  // Sales together, in (store, txn_id) order so concurrent writers lock in one order. Only
  // sales not yet in the journal earn; if another writer slips one in before our insert, the
  // whole transaction is retried, so nothing is ever booked for a swipe that is not new.
  const sales = entries.filter((e) => e.swipe.kind === 'sale').sort((a, b) => compare(journalKey(a.storeId, a.swipe.txn_id), journalKey(b.storeId, b.swipe.txn_id)))
  const programme = points.scoring ? await points.loadProgramme(tx) : undefined
  const locked = await lockSaleAccounts(tx, sales, points.now)
  const existing = await journal.find(sales)
  const fresh = sales.filter((e) => !existing.has(journalKey(e.storeId, e.swipe.txn_id)))
  // Coupons after the accounts' locks, before the append: a retry finds the stored answer instead.
  const coupons = await redeemCoupons(tx, locked, fresh)
  const earned = programme ? await bookSales(tx, locked, fresh, programme, points) : []
  const answered = fresh.map((e, i) => ({ ...e, answer: { ...e.answer, ...earned[i], ...(coupons[i] ? { coupons: coupons[i] } : {}) } }))
  const inserted = await journal.append(answered)
  if (inserted.size !== fresh.length) throw new RetryableConflict('a sale was recorded by another writer meanwhile')
  answered.forEach((e, i) => settled.set(fresh[i]!, { status: 'accepted', answer: e.answer }))
  for (const entry of sales) if (!settled.has(entry)) settled.set(entry, settle(entry, existing))

  // Returns one at a time: each locks its sale first, so returns against it go in turn.
  for (const entry of entries.filter((e) => e.swipe.kind === 'return')) settled.set(entry, await writeReturn(tx, journal, entry, points, programme))
  return settled
}

/** One return, under its sale's lock; `programme` is the group's (undefined: scoring is off). */
async function writeReturn(tx: Tx, journal: JournalQueries, entry: JournalEntry, points: PointsContext, programme: Programme | undefined): Promise<SwipeOutcome> {
  const originalTxnId = entry.swipe.original_txn_id!
  const original = await journal.lockOriginalSale(entry.storeId, originalTxnId)
  // Looked up under the sale's lock: a concurrent copy of this return has committed or not.
  const before = await journal.find([entry])
  if (before.size > 0) return settle(entry, before)
  const returnedSoFar = await journal.returnedSoFar(entry.storeId, originalTxnId)
  const problems = checkReturn(entry.swipe, original, returnedSoFar, entry.at)
  if (problems.length > 0) return { status: 'rejected', httpStatus: 400, detail: 'the return does not match its sale', problems }
  const reversed = programme ? await bookReturn(tx, entry.storeId, entry.swipe, original!.swipe, returnedSoFar, programme, points) : {}
  const answered = { ...entry, answer: { ...entry.answer, ...reversed } }
  const added = await journal.append([answered])
  if (added.size === 0) throw new RetryableConflict('the return was recorded by another writer meanwhile')
  return { status: 'accepted', answer: answered.answer }
}

/** The outcome of a swipe already in the journal: a retry of the same body, or a conflict. */
function settle(entry: JournalEntry, existing: Map<string, StoredEntry>): SwipeOutcome {
  const key = journalKey(entry.storeId, entry.swipe.txn_id)
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
