import type { Writable } from 'node:stream'
import { once } from 'node:events'
import type { ClickHouse } from '../platform/clickhouse'
import { sql } from '../platform/sql-loader'
import { clvFilterCondition, withCondition, type ClvFilter } from './clv-filters'

/** What the RFM read routes take from ClickHouse (sql/clickhouse/queries/analytics/read-*.sql). */

export interface SegmentSizeRow {
  segment: string
  members: number
  /** Decimal text as ClickHouse prints it ('5', '12.5'). */
  revenue: string
  avg_r: number
  avg_f: number
  avg_m: number
  avg_monetary: string
}

/** A scored member as the listing and the CSV show them. */
export interface ScoredMember {
  member_id: string
  r: number
  f: number
  m: number
  recency_days: number
  frequency: number
  /** Text with 2 decimals ("5.00"). */
  monetary: string
  /** Only when narrowed by a CLV filter: the member's values in that CLV run. */
  clv?: string | null
  p_alive?: number | null
  churn_band?: string
}

/** A listing narrowed by a CLV filter on the values of one CLV run (clv-filters.ts). */
export interface ClvNarrowing {
  runId: number
  filter: ClvFilter
}

/** The page and chunk-bounds statements of a listing, with the parameters they share. */
function listingStatements(runId: number, segment: string, clv: ClvNarrowing | undefined) {
  if (!clv) {
    return { page: sql('clickhouse/queries/analytics/read-segment-members'), bounds: sql('clickhouse/queries/analytics/read-segment-chunk-bounds'), params: { run_id: runId, segment } }
  }
  const condition = clvFilterCondition(clv.filter, 'c')
  return {
    page: withCondition(sql('clickhouse/queries/analytics/read-segment-clv-members'), condition),
    bounds: withCondition(sql('clickhouse/queries/analytics/read-segment-clv-chunk-bounds'), condition),
    params: { ...condition.params, run_id: runId, segment, clv_run_id: clv.runId },
  }
}

export interface MigrationRow {
  from_segment: string
  to_segment: string
  members: number
}

async function rows<T>(ch: ClickHouse, name: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await ch.client.query({ query: sql(`clickhouse/queries/analytics/${name}`), query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

/** The rfm_segment_sizes rows of one run (segments without members have none). */
export async function segmentSizes(ch: ClickHouse, runId: number): Promise<SegmentSizeRow[]> {
  const found = await rows<SegmentSizeRow>(ch, 'read-segment-sizes', { run_id: runId })
  return found.map((row) => ({ ...row, members: Number(row.members) }))
}

/** Members per segment of each run. */
export async function segmentHistory(ch: ClickHouse, runIds: number[]): Promise<{ run_id: number; segment: string; members: number }[]> {
  if (runIds.length === 0) return []
  const found = await rows<{ run_id: string; segment: string; members: number }>(ch, 'read-segment-history', { run_ids: runIds })
  return found.map((row) => ({ run_id: Number(row.run_id), segment: row.segment, members: Number(row.members) }))
}

/**
 * One keyset page: up to `limit` members of the segment after member id `after`, by member id;
 * with `clv`, only members whose values pass its filter, with those values.
 */
export async function segmentMembersPage(
  ch: ClickHouse,
  runId: number,
  segment: string,
  after: string,
  limit: number,
  clv?: ClvNarrowing,
): Promise<ScoredMember[]> {
  const { page, params } = listingStatements(runId, segment, clv)
  const result = await ch.client.query({ query: page, query_params: { ...params, after, limit }, format: 'JSONEachRow' })
  return result.json<ScoredMember>()
}

/** Rows per ClickHouse query of the CSV export: bounds the memory one query's result takes. */
export const CSV_CHUNK_ROWS = 50_000

/**
 * Writes the whole segment to `out` as CSV with a header (ClickHouse's CSVWithNames, then CSV),
 * in member id order, and ends it. Node never parses a row: each query's bytes are piped as they
 * come, with backpressure. The segment is read in keyset chunks of `chunkRows` (bounds found
 * first), because the embedded engine hands a query's whole result over at once; a server
 * would stream one query just as well, and a done run's rows do not change between chunks.
 * With `clv`, only the members passing its filter, with clv, p_alive and churn_band columns.
 */
export async function writeSegmentCsv(
  ch: ClickHouse,
  runId: number,
  segment: string,
  out: Writable,
  chunkRows = CSV_CHUNK_ROWS,
  clv?: ClvNarrowing,
): Promise<void> {
  const statements = listingStatements(runId, segment, clv)
  const boundsResult = await ch.client.query({ query: statements.bounds, query_params: { ...statements.params, chunk: chunkRows }, format: 'JSONEachRow' })
  const bounds = await boundsResult.json<{ member_id: string }>()
  const afters = ['', ...bounds.map((b) => b.member_id)]
  for (const [i, after] of afters.entries()) {
    // The format is one of two constants, not input: the statement's parameters stay bound.
    // A NULL (a CLV the model could not give) is an empty cell, scoped to this query.
    const { stream } = await ch.client.exec({
      query: `${statements.page}\nSETTINGS format_csv_null_representation = ''\nFORMAT ${i === 0 ? 'CSVWithNames' : 'CSV'}`,
      query_params: { ...statements.params, after, limit: chunkRows },
    })
    await writeAll(stream, out)
  }
  out.end()
}

/**
 * Copies one chunk's bytes into the response without ending it, waiting for 'drain' when the
 * client is slower than ClickHouse (one loop, not a pipeline per chunk: pipelines leave a
 * listener on the response each, dozens of chunks in all).
 */
async function writeAll(chunks: AsyncIterable<Buffer>, out: Writable): Promise<void> {
  for await (const chunk of chunks) {
    if (out.destroyed) throw new Error('the client closed the connection during the export')
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')])
  }
}

/** Members from each segment to each segment between two runs ('none': not scored in that run). */
export async function segmentMigration(ch: ClickHouse, fromRun: number, toRun: number): Promise<MigrationRow[]> {
  const found = await rows<MigrationRow>(ch, 'read-segment-migration', { from_run: fromRun, to_run: toRun })
  return found.map((row) => ({ ...row, members: Number(row.members) }))
}
