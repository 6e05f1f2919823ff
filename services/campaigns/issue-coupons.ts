import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { PoolClient } from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { consentedMembers } from '../members/consent'
import type { ClickHouse } from '../platform/clickhouse'
import type { Postgres, Tx } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { newCouponCodes } from './coupon-codes'
import { couponCopyText, type CouponTerms } from './coupon-rows'

export interface IssueDeps {
  pg: Postgres
  ch: ClickHouse
  clock: () => Date
  /** Treated members per chunk, one Postgres transaction each (config COUPON_ISSUE_CHUNK). */
  chunkSize: number
  /** Test seam: runs after chunk `k` (1-based, of this call) has committed; a throw is a crash there. */
  afterChunk?: (k: number) => Promise<void>
}

export interface IssueProgress {
  issued: number
  through: string | null
}

/** Tries per chunk when a new code is already taken (75 random bits: practically never twice). */
const CODE_TRIES = 5

/**
 * Stage 2 of a launch (docs/campaigns.md "Launch"): a coupon for each treated member, in member
 * id order after campaigns.issued_through, a chunk per transaction. Each chunk drops the members
 * who withdrew consent since the assignment (consentedMembers, in the transaction that writes
 * the coupons), COPYs the coupons and moves issued_through past the chunk, so a crash anywhere
 * leaves every member either fully done or not started, and a relaunch resumes after the last
 * commit. Returns the campaign's totals.
 */
export async function issueCoupons(
  deps: IssueDeps,
  campaignId: number,
  terms: CouponTerms,
  from: IssueProgress,
  onChunk: (progress: IssueProgress) => Promise<void> | void = () => {},
): Promise<IssueProgress> {
  let progress = from
  let ahead = readAhead(deps, campaignId, progress.through ?? '')
  for (let k = 1; ; k++) {
    const chunk = await ahead
    if (chunk.members.length === 0) return progress
    // The next chunk is read from ClickHouse and its codes generated while this chunk's
    // Postgres transaction runs (it reads after this chunk's last member; Node and chDB work
    // on one core while Postgres works on the other). Only reads: nothing of it is written
    // until its own transaction, which checks consent then.
    ahead = readAhead(deps, campaignId, chunk.members[chunk.members.length - 1]!.member_id)
    progress = await issueChunk(deps, campaignId, terms, chunk, progress)
    // Another job committed past this chunk (see writeChunk): the chunk read ahead may start
    // too early; read again after what was committed (nothing is issued twice either way: the
    // transaction compares issued_through).
    if (progress.through !== chunk.members[chunk.members.length - 1]!.member_id) {
      await ahead.catch(() => {})
      ahead = readAhead(deps, campaignId, progress.through ?? '')
    }
    await onChunk(progress)
    await deps.afterChunk?.(k)
  }
}

interface Treated {
  member_id: string
  category: string
}

/** A chunk of treated members and a fresh code for each, prepared before its transaction. */
interface Chunk {
  members: Treated[]
  codes: string[]
}

function readAhead(deps: IssueDeps, campaignId: number, after: string): Promise<Chunk> {
  const chunk = treatedChunk(deps.ch, campaignId, after, deps.chunkSize).then((members) => ({ members, codes: members.length > 0 ? newCouponCodes(members.length) : [] }))
  // Awaited later (or dropped on a crash of the chunk before it): never an unhandled rejection.
  chunk.catch(() => {})
  return chunk
}

async function treatedChunk(ch: ClickHouse, campaignId: number, after: string, chunk: number): Promise<Treated[]> {
  const result = await ch.client.query({
    query: sql('clickhouse/queries/campaigns/treated-chunk'),
    query_params: { campaign_id: campaignId, after, chunk },
    format: 'JSONEachRow',
  })
  return result.json<Treated>()
}

/** One chunk in one transaction, retried with fresh codes when a code is already taken. */
async function issueChunk(deps: IssueDeps, campaignId: number, terms: CouponTerms, chunk: Chunk, expected: IssueProgress): Promise<IssueProgress> {
  for (let attempt = 1; ; attempt++) {
    const codes = attempt === 1 ? chunk.codes : newCouponCodes(chunk.members.length)
    try {
      return await deps.pg.transaction((tx, client) => writeChunk(deps, client, tx, campaignId, terms, chunk.members, codes, expected))
    } catch (error) {
      if (!isCodeCollision(error) || attempt >= CODE_TRIES) throw error
    }
  }
}

async function writeChunk(
  deps: IssueDeps,
  client: PoolClient,
  tx: Tx,
  campaignId: number,
  terms: CouponTerms,
  members: Treated[],
  codes: string[],
  expected: IssueProgress,
): Promise<IssueProgress> {
  const [locked] = await tx.query<{ state: string; issued_through: string | null; issued: number }>(sql('postgres/queries/campaigns/lock-issue-progress'), [campaignId])
  if (locked?.state !== 'launching') throw new Error(`campaign ${campaignId} is ${locked?.state ?? 'gone'}, not launching`)
  // Another job (a stalled one, or its retry) got here first: carry on after what it committed.
  if (locked.issued_through !== expected.through) return { issued: locked.issued, through: locked.issued_through }
  const consented = await consentedMembers(tx, members.map((m) => m.member_id), 'personalised_offers')
  const kept = members.filter((m) => consented.has(m.member_id))
  const now = deps.clock()
  if (kept.length > 0) {
    const text = couponCopyText(campaignId, terms, kept.map((m, i) => ({ code: codes[i]!, memberId: m.member_id, category: m.category })), now)
    await pipeline(Readable.from([Buffer.from(text)]), client.query(copyFrom(sql('postgres/queries/campaigns/copy-coupons'))))
  }
  const through = members[members.length - 1]!.member_id
  await tx.query(sql('postgres/queries/campaigns/advance-issue'), [campaignId, through, kept.length, now])
  return { issued: locked.issued + kept.length, through }
}

/** A code already taken: the primary key, not (campaign_id, member_id), which would be a bug. */
const isCodeCollision = (error: unknown) =>
  (error as { code?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'coupons_pkey'
