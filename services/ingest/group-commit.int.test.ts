import { createTestPostgres, type TestPostgres } from '../../test/helpers/databases'
import { makeSwipe } from '../../test/helpers/factories'
import type { Postgres, Tx } from '../platform/postgres'
import { createProgrammeLoader } from '../points/programme'
import { createStoresRepo } from '../stores/stores.repo'
import { createGroupCommit } from './group-commit'
import { prepareSwipes } from './record-swipes'

let db: TestPostgres
let storeId: string

beforeAll(async () => {
  db = await createTestPostgres()
  storeId = (await createStoresRepo(db.pg).createStore('GC-1', 'Group commit store')).id
})
afterAll(() => db.drop())

/** The real pool, with every statement (inside transactions too) passed through `onQuery` first. */
function intercepted(pg: Postgres, onQuery: (text: string) => void): Postgres {
  const wrap = (tx: Tx): Tx => ({
    query: (text, params) => {
      onQuery(text)
      return tx.query(text, params)
    },
  })
  return { ...pg, query: wrap(pg).query, transaction: (fn) => pg.transaction((tx, client) => fn(wrap(tx), client)) }
}

/** The real pool, counting the journal inserts it runs. */
function countingJournalInserts(pg: Postgres): { pg: Postgres; inserts: () => number } {
  let inserts = 0
  const counted = intercepted(pg, (text) => {
    if (text.includes('INSERT INTO ingest_journal')) inserts++
  })
  return { pg: counted, inserts: () => inserts }
}

const context = (pg: Postgres) => ({ pg, loadProgramme: createProgrammeLoader(), expiryMonths: 24, clock: () => new Date() })

const post = (swipes: object[]) =>
  prepareSwipes(storeId, swipes.map((body, i) => ({ body, at: `$[${i}]` })), { now: new Date(), skewSeconds: 300 })

test('posts arriving while a group is written are written together, each with its own outcomes', async () => {
  const { pg, inserts } = countingJournalInserts(db.pg)
  const groupCommit = createGroupCommit(context(pg), { maxPostsPerGroup: 500, maxGroupsInFlight: 1 })
  const swipes = Array.from({ length: 40 }, () => makeSwipe())
  const results = await Promise.all(swipes.map((s) => groupCommit.commit(post([s]))))

  expect(results.map(([o]) => o!.status)).toEqual(Array(40).fill('accepted'))
  results.forEach(([o], i) => expect(o!.status === 'accepted' && o!.answer.txn_id).toBe(swipes[i]!.txn_id))
  // The first post is written alone; the 39 that queued behind it go in one statement.
  expect(inserts()).toBe(2)
})

test('a txn_id posted twice in one group is stored once; a different body is a conflict', async () => {
  const groupCommit = createGroupCommit(context(db.pg), { maxPostsPerGroup: 500, maxGroupsInFlight: 1 })
  const a = makeSwipe()
  const changed = { ...a, terminal_id: 'till-9' }
  const [first, again, conflict] = await Promise.all([groupCommit.commit(post([a])), groupCommit.commit(post([a])), groupCommit.commit(post([changed]))])
  const statuses = [first![0]!.status, again![0]!.status, conflict![0]!.status]
  expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1)
  expect(statuses.filter((s) => s === 'replayed')).toHaveLength(1)
  expect(conflict![0]).toMatchObject({ status: 'rejected', httpStatus: 409 })
  const [row] = await db.pg.query<{ n: string }>('SELECT count(*) AS n FROM ingest_journal WHERE txn_id = $1', [a.txn_id])
  expect(row!.n).toBe('1')
})

test('a group that fails rejects its own posts only; the next group is written', async () => {
  let failNext = true
  const flaky = intercepted(db.pg, (text) => {
    if (failNext && text.includes('INSERT INTO ingest_journal')) {
      failNext = false
      throw Object.assign(new Error('connection lost'), { code: 'ECONNRESET' })
    }
  })
  const groupCommit = createGroupCommit(context(flaky), { maxPostsPerGroup: 500, maxGroupsInFlight: 1 })
  const lost = makeSwipe()
  await expect(groupCommit.commit(post([lost]))).rejects.toThrow('connection lost')
  const [[outcome]] = await Promise.all([groupCommit.commit(post([makeSwipe()]))])
  expect(outcome!.status).toBe('accepted')
  // The failed post wrote nothing, so the till's retry is a first write, not a replay.
  const [[retry]] = await Promise.all([groupCommit.commit(post([lost]))])
  expect(retry!.status).toBe('accepted')
})
