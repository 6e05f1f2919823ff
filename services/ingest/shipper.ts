import { insertTsv, type ClickHouse } from '../platform/clickhouse'
import type { Logger } from '../platform/logger'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { COUPON_EVENT_COLUMNS, LINE_COLUMNS, SWIPE_COLUMNS } from './clickhouse-rows'

export interface ShipperDeps {
  pg: Postgres
  ch: ClickHouse
  logger: Logger
  batchRows: number
  /** Pause after a batch smaller than batchRows: lets rows gather into fewer, larger inserts. */
  idleMs: number
  /** Called after each batch is safely marked shipped (metrics). */
  onShipped?: (rows: number) => void
  /** Test seam: runs between the ClickHouse insert and the mark, where a crash would hurt. */
  afterInsert?: (batchId: string) => Promise<void>
}

/** A claimed range of the journal: the rows after (after_txid, after_seq) up to (last_txid, last_seq). */
interface Batch {
  id: string
  after_txid: string
  after_seq: string
  last_txid: string
  last_seq: string
  row_count: number
}

/** How long drain() waits for rows held back by transactions still running elsewhere. */
const DRAIN_TIMEOUT_MS = 30_000

const MAX_BACKOFF_MS = 30_000

/**
 * The journal shipper. Each batch is claimed in Postgres as the next (txid, seq) range after
 * the cursor (claim-batch.sql), inserted into ClickHouse with the batch id as deduplication
 * token, then marked shipped. A batch left unmarked (crash, ClickHouse down) is re-sent first,
 * with the same rows in the same order and the same token, so ClickHouse keeps one copy.
 * Tills never wait on any of this. See docs/ingest.md.
 */
export function createShipper(deps: ShipperDeps) {
  const { pg, ch, logger } = deps
  let running = false
  let loop: Promise<void> | undefined
  let wake: (() => void) | undefined

  async function nextBatch(): Promise<Batch | undefined> {
    const [pending] = await pg.query<Batch>(sql('postgres/queries/ingest/pending-batch'))
    if (pending) return pending
    const [claimed] = await pg.query<Batch>(sql('postgres/queries/ingest/claim-batch'), [deps.batchRows])
    if (claimed) return claimed
    // Another shipper may have claimed this range first: then ship (or re-ship) theirs.
    const [raced] = await pg.query<Batch>(sql('postgres/queries/ingest/pending-batch'))
    return raced
  }

  /** Ships one batch; returns how many journal rows it carried (0: the journal is drained). */
  async function shipOnce(): Promise<number> {
    const batch = await nextBatch()
    if (!batch) return 0
    const range = [batch.after_txid, batch.after_seq, batch.last_txid, batch.last_seq]
    const [rows] = await pg.query<{ swipes: string | null; lines: string | null }>(sql('postgres/queries/ingest/batch-clickhouse-rows'), range)
    const [coupons] = await pg.query<{ events: string | null }>(sql('postgres/queries/ingest/batch-coupon-events'), range)
    // Lines first: a swipe row visible in ClickHouse then always has its lines (and its coupons' events).
    await insertTsv(ch.client, 'swipe_lines', LINE_COLUMNS, rows!.lines, insertSettings(`journal-batch-${batch.id}-lines`))
    await insertTsv(ch.client, 'coupon_events', COUPON_EVENT_COLUMNS, coupons!.events, insertSettings(`journal-batch-${batch.id}-coupons`))
    await insertTsv(ch.client, 'swipes', SWIPE_COLUMNS, rows!.swipes, insertSettings(`journal-batch-${batch.id}-swipes`))
    await deps.afterInsert?.(batch.id)
    await pg.query(sql('postgres/queries/ingest/mark-batch-shipped'), [batch.id])
    deps.onShipped?.(batch.row_count)
    return batch.row_count
  }

  async function run(): Promise<void> {
    let backoff = deps.idleMs
    while (running) {
      try {
        const shipped = await shipOnce()
        backoff = deps.idleMs
        // A full batch means more is waiting; otherwise let rows gather. Each ClickHouse insert
        // makes new parts to merge, so a few large inserts cost far less than many small ones.
        if (shipped < deps.batchRows) await sleep(deps.idleMs)
      } catch (error) {
        logger.warn({ err: error, retry_in_ms: backoff }, 'shipping to ClickHouse failed; swipes wait in the journal')
        await sleep(backoff)
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
      }
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  return {
    shipOnce,
    /**
     * Ships until the journal is empty. Rows of a transaction still running anywhere in the
     * Postgres cluster wait for it (claim-batch.sql), so this waits up to DRAIN_TIMEOUT_MS.
     */
    async drain(): Promise<number> {
      const deadline = Date.now() + DRAIN_TIMEOUT_MS
      let total = 0
      for (;;) {
        const shipped = await shipOnce()
        total += shipped
        if (shipped > 0) continue
        if ((await journalLag(pg)).rows === 0 || Date.now() > deadline) return total
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    start(): void {
      if (running) return
      running = true
      loop = run()
    },
    /** Stops the loop after the batch in flight. */
    async stop(): Promise<void> {
      running = false
      wake?.()
      await loop
    },
  }
}
export type Shipper = ReturnType<typeof createShipper>

/** Per-insert settings: the dedup token, and no cap on months touched by one backfill batch. */
function insertSettings(token: string): Record<string, string | number> {
  return { insert_deduplication_token: token, max_partitions_per_insert_block: 0 }
}

/** Journal rows not yet in ClickHouse and the age of the oldest (for /metrics). */
export async function journalLag(pg: Postgres): Promise<{ rows: number; oldestSeconds: number }> {
  const [row] = await pg.query<{ rows: string; oldest_seconds: number }>(sql('postgres/queries/ingest/journal-lag'))
  return { rows: Number(row!.rows), oldestSeconds: row!.oldest_seconds }
}
