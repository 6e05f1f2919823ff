import { readLines } from './ndjson'
import { commitSwipes, prepareSwipes, type CommitContext, type PostedSwipe, type SwipeOutcome } from './record-swipes'
import type { FieldProblem } from './swipe-rules'

export interface BulkRejection {
  line: number
  txn_id?: string
  status: 400 | 409
  detail: string
  errors: FieldProblem[]
}

/** The answer to a bulk stream: counts, and the line and reason of each rejected line. */
export interface BulkReport {
  lines: number
  accepted: number
  replayed: number
  rejected: number
  rejections: BulkRejection[]
  /** True when more lines were rejected than `rejections` lists (memory stays bounded). */
  rejections_truncated: boolean
}

export interface BulkOptions {
  /** Swipes written per Postgres transaction. */
  chunkSize: number
  /** Rejections listed in full; past this they are only counted. */
  maxRejectionsListed: number
  maxLineBytes: number
}

export const BULK_DEFAULTS: BulkOptions = { chunkSize: 2000, maxRejectionsListed: 10_000, maxLineBytes: 4 * 1024 * 1024 }

interface Chunk {
  posted: PostedSwipe[]
  lineNumbers: number[]
}

/**
 * Records an NDJSON stream of swipes of any length. Lines are validated a chunk at a time;
 * while one chunk is being written to Postgres, the next is read and checked, and no more
 * than that is read ahead, so the stream is paused (backpressure) and memory stays flat.
 * Chunks are committed in stream order, so a return may follow its sale in the same stream.
 */
export async function recordBulk(
  deps: CommitContext & { skewSeconds: number },
  storeId: string,
  stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: BulkOptions = BULK_DEFAULTS,
): Promise<BulkReport> {
  const report: BulkReport = { lines: 0, accepted: 0, replayed: 0, rejected: 0, rejections: [], rejections_truncated: false }
  const reject = (rejection: BulkRejection) => {
    report.rejected++
    if (report.rejections.length < options.maxRejectionsListed) report.rejections.push(rejection)
    else report.rejections_truncated = true
  }
  let inFlight: Promise<void> = Promise.resolve()
  let chunk: Chunk = { posted: [], lineNumbers: [] }

  const flush = async () => {
    const ready = chunk
    chunk = { posted: [], lineNumbers: [] }
    const prepared = prepareSwipes(storeId, ready.posted, { now: deps.clock(), skewSeconds: deps.skewSeconds })
    await inFlight // one chunk in the database at a time, in order
    inFlight = commitSwipes(deps, [prepared]).then(([outcomes]) => tally(report, ready, outcomes!, reject))
    inFlight.catch(() => {}) // handled: the next await of inFlight rethrows it
  }

  for await (const { number, text } of readLines(stream, options.maxLineBytes)) {
    if (text.trim() === '') continue
    report.lines++
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch (error) {
      reject({ line: number, status: 400, detail: 'the line is not valid JSON', errors: [{ path: '$', message: (error as Error).message }] })
      continue
    }
    chunk.posted.push({ body, at: '$' })
    chunk.lineNumbers.push(number)
    if (chunk.posted.length >= options.chunkSize) await flush()
  }
  if (chunk.posted.length > 0) await flush()
  await inFlight
  return report
}

function tally(report: BulkReport, chunk: Chunk, outcomes: SwipeOutcome[], reject: (r: BulkRejection) => void): void {
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'accepted') report.accepted++
    else if (outcome.status === 'replayed') report.replayed++
    else {
      const body = chunk.posted[i]!.body as { txn_id?: unknown }
      reject({
        line: chunk.lineNumbers[i]!,
        ...(typeof body?.txn_id === 'string' ? { txn_id: body.txn_id } : {}),
        status: outcome.httpStatus,
        detail: outcome.detail,
        errors: outcome.problems,
      })
    }
  })
}
