/**
 * `npm run import -- completejourney|cdnow [--url http://127.0.0.1:8080] [--data-dir <path>] [--concurrency 2]`
 *
 * Imports a dataset through the platform's public bulk endpoint, as an integrator migrating
 * from another till system would: one platform store per dataset store (created, or reused by
 * code), a fresh till key per store for the run (revoked at the end), and each store's sales
 * POSTed as one NDJSON stream to /v1/swipes/bulk. Re-running is safe: the endpoint is
 * idempotent per (store, txn_id), so a second run reports everything as replayed.
 * See docs/import.md.
 */
import path from 'node:path'
import { Readable } from 'node:stream'
import { parseArgs } from 'node:util'
import { parseScaled, formatScaled } from '../../platform/decimal'
import type { BulkRejection, BulkReport } from '../record-bulk'
import { SCALE } from '../swipe.schemas'
import { loadConfig } from '../../platform/config'
import { createPostgres } from '../../platform/postgres'
import { createStoresRepo, type StoresRepo } from '../../stores/stores.repo'
import { CDNOW_STORE_NAME, formatCdnowSummary, loadCdnow } from './cdnow'
import { loadCompleteJourney, type CjDataset, type CjSummary, type SwipeBody } from './completejourney'

/** The repository root's sibling `shared/data/completejourney`. */
export const DEFAULT_DATA_DIR = path.resolve(__dirname, '../../..', '../shared/data/completejourney')
/** The repository root's sibling `shared/data/cdnow`. */
export const CDNOW_DATA_DIR = path.resolve(__dirname, '../../..', '../shared/data/cdnow')
const DATASETS = ['completejourney', 'cdnow'] as const
type DatasetName = (typeof DATASETS)[number]

/** Swipes serialised into one chunk of the request body (fewer, larger writes). */
const LINES_PER_CHUNK = 256

/** The HTTP answer was not a bulk report. `retryable` for 429 and 5xx. */
export class BulkHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`POST /v1/swipes/bulk answered ${status}: ${body.slice(0, 500)}`)
  }
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500
  }
}

/**
 * POSTs swipes as one NDJSON stream to `<baseUrl>/v1/swipes/bulk` with a store key, and
 * returns the endpoint's report. The body is produced lazily while it is sent (`duplex:
 * 'half'`), so the stream's length does not matter. Throws BulkHttpError on any answer but 200
 * (the stream is then unrecorded or partly recorded; posting it again is safe).
 */
export async function postSwipesBulk(
  baseUrl: string,
  key: string,
  swipes: Iterable<SwipeBody> | AsyncIterable<SwipeBody>,
): Promise<BulkReport> {
  async function* ndjson(): AsyncGenerator<string> {
    let chunk = ''
    let n = 0
    for await (const swipe of swipes) {
      chunk += `${JSON.stringify(swipe)}\n`
      if (++n % LINES_PER_CHUNK === 0) {
        yield chunk
        chunk = ''
      }
    }
    if (chunk !== '') yield chunk
  }
  const res = await fetch(new URL('/v1/swipes/bulk', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}`, accept: 'application/json' },
    body: Readable.toWeb(Readable.from(ndjson())) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' })
  if (res.status !== 200) throw new BulkHttpError(res.status, await res.text())
  return (await res.json()) as BulkReport
}

/** What the importer needs of the stores repo. */
export type ImportStores = Pick<StoresRepo, 'findByCode' | 'createStore' | 'createKey' | 'revokeKey'>

export interface StoreImport {
  code: string
  storeId: string
  created: boolean
  swipes: number
  report: BulkReport
  attempts: number
  ms: number
}

export interface ImportResult {
  stores: StoreImport[]
  storesCreated: number
  lines: number
  accepted: number
  replayed: number
  rejected: number
  /** Every rejection listed by the endpoint, with its store code. */
  rejections: (BulkRejection & { store: string })[]
  rejectionsTruncated: boolean
  /** Σ totals of the swipes the platform holds now (accepted or replayed), exact. */
  recordedTotal: string
  elapsedMs: number
}

export interface ImportOptions {
  /** Stores posted at the same time (1 to 8). */
  concurrency?: number
  /** Further attempts for a store whose post failed on the network, 429 or 5xx. */
  retries?: number
  /** Called after each store is done. */
  onStore?: (done: StoreImport, index: number, of: number) => void
  /** Store names (default: "Complete Journey store <id>"). */
  storeName?: (storeId: string) => string
}

/** Is this a Postgres unique violation (a concurrent importer created the store first)? */
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505'

/**
 * Imports a mapped dataset: store setup through the stores repo (`stores`, which must be the
 * same database the API at `baseUrl` uses), then each store's swipes through postSwipesBulk,
 * `concurrency` stores at a time. The keys issued for the run are revoked when it ends. A
 * store that still fails after its retries stops the import (rerunning it is safe).
 */
export async function importDataset(
  stores: ImportStores,
  baseUrl: string,
  dataset: Pick<CjDataset, 'stores'>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const concurrency = Math.min(8, Math.max(1, options.concurrency ?? 2))
  const retries = options.retries ?? 2
  const nameOf = options.storeName ?? ((id: string) => `Complete Journey store ${id}`)
  const started = Date.now()

  // Stores and keys first, one at a time (293 small queries), so a database problem shows
  // before anything is posted.
  const targets: { store: (typeof dataset.stores)[number]; storeId: string; created: boolean; key: string }[] = []
  const keyIds: string[] = []
  try {
    for (const store of dataset.stores) {
      let platformStore = await stores.findByCode(store.code)
      let created = false
      if (!platformStore) {
        try {
          platformStore = await stores.createStore(store.code, nameOf(store.storeId))
          created = true
        } catch (error) {
          if (!isUniqueViolation(error)) throw error
          platformStore = await stores.findByCode(store.code)
          if (!platformStore) throw error
        }
      }
      const key = await stores.createKey(platformStore.id)
      keyIds.push(key.keyId)
      targets.push({ store, storeId: platformStore.id, created, key: key.token })
    }

    const results: StoreImport[] = new Array(targets.length)
    let next = 0
    let done = 0
    const worker = async () => {
      while (next < targets.length) {
        const index = next++
        const target = targets[index]!
        const t0 = Date.now()
        let attempts = 0
        let report: BulkReport
        for (;;) {
          attempts++
          try {
            report = await postSwipesBulk(baseUrl, target.key, target.store.swipes)
            break
          } catch (error) {
            const retryable = error instanceof BulkHttpError ? error.retryable : error instanceof TypeError // fetch: network failure
            if (!retryable || attempts > retries) {
              const hint = error instanceof BulkHttpError && error.status === 401 ? ' (does DATABASE_URL name the database of the server at --url?)' : ''
              throw new Error(`store ${target.store.code}: ${(error as Error).message}${hint}`, { cause: error })
            }
            await new Promise((resolve) => setTimeout(resolve, 500 * attempts))
          }
        }
        const result: StoreImport = {
          code: target.store.code,
          storeId: target.storeId,
          created: target.created,
          swipes: target.store.swipes.length,
          report,
          attempts,
          ms: Date.now() - t0,
        }
        results[index] = result
        options.onStore?.(result, ++done, targets.length)
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker))

    const result: ImportResult = {
      stores: results,
      storesCreated: results.filter((r) => r.created).length,
      lines: 0,
      accepted: 0,
      replayed: 0,
      rejected: 0,
      rejections: [],
      rejectionsTruncated: false,
      recordedTotal: '0.00',
      elapsedMs: 0,
    }
    let recorded = 0n
    results.forEach((r, i) => {
      result.lines += r.report.lines
      result.accepted += r.report.accepted
      result.replayed += r.report.replayed
      result.rejected += r.report.rejected
      result.rejectionsTruncated ||= r.report.rejections_truncated
      for (const rejection of r.report.rejections) result.rejections.push({ store: r.code, ...rejection })
      // Stream line n is swipe n − 1 (the client writes no blank lines).
      const rejectedLines = new Set(r.report.rejections.map((rej) => rej.line))
      targets[i]!.store.swipes.forEach((swipe, n) => {
        if (!rejectedLines.has(n + 1)) recorded += parseScaled(swipe.total, SCALE.money)!
      })
    })
    result.recordedTotal = formatScaled(recorded, SCALE.money)
    result.elapsedMs = Date.now() - started
    return result
  } finally {
    // The run's keys are not needed afterwards and were never shown to anyone.
    for (const keyId of keyIds) await stores.revokeKey(keyId).catch(() => false)
  }
}

// ---------------------------------------------------------------------------------------------
// Command line

const USAGE = `usage: npm run import -- completejourney|cdnow [--url <api base url>] [--data-dir <dir>] [--concurrency <1-8>]
  --url          the platform API (default http://127.0.0.1:$PORT, PORT from the environment, 8080)
  --data-dir     the dataset directory (default ${DEFAULT_DATA_DIR}, for cdnow ${CDNOW_DATA_DIR})
  --concurrency  stores posted at the same time (default 2)
DATABASE_URL must name the platform's database: the importer creates the stores and their keys there.`

export function formatSummary(summary: CjSummary): string {
  const n = (x: number) => x.toLocaleString('en-US')
  return [
    `  lines ${n(summary.lines)}, baskets ${n(summary.baskets)}, households ${n(summary.households)}, stores ${n(summary.stores)}`,
    `  ${summary.firstAt} .. ${summary.lastAt}`,
    `  sales total ${summary.salesTotal} USD, discounts ${summary.discountTotal} USD`,
    `  lines with the real quantity: ${n(summary.exactLines)} exact unit price, ${n(summary.roundedUnitPriceLines)} unit price rounded to 4 decimals`,
    `  lines sent as quantity 1: ${n(summary.zeroQuantityLines)} with quantity 0 (${n(summary.zeroQuantityOnlyBaskets)} baskets of only such lines), ${n(summary.inexactFallbackLines)} with no fitting unit price`,
    `  category UNKNOWN (product not in products.csv): ${n(summary.unknownCategoryLines)} lines; department only (no product_category): ${n(summary.departmentOnlyLines)} lines`,
    `  money values rounded to the cent: ${n(summary.roundedMoneyLines)} lines; ids in scientific notation: ${n(summary.scientificIdLines)} lines, ${n(summary.scientificProductIds)} products`,
  ].join('\n')
}

async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { url: { type: 'string' }, 'data-dir': { type: 'string' }, concurrency: { type: 'string' }, help: { type: 'boolean' } },
    })
  } catch (error) {
    return fail((error as Error).message)
  }
  const { positionals, values } = parsed
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  if (positionals.length !== 1 || !DATASETS.includes(positionals[0] as DatasetName)) {
    return fail(positionals.length === 0 ? 'name the dataset to import' : `unknown dataset: ${positionals.join(' ')}`)
  }
  const datasetName = positionals[0] as DatasetName
  const concurrency = values.concurrency === undefined ? 2 : Number(values.concurrency)
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 8) return fail('--concurrency must be 1 to 8')
  const config = loadConfig()
  const baseUrl = values.url ?? `http://127.0.0.1:${config.PORT}`
  const dataDir = path.resolve(values['data-dir'] ?? (datasetName === 'cdnow' ? CDNOW_DATA_DIR : DEFAULT_DATA_DIR))

  const health = await fetch(new URL('/healthz', baseUrl)).catch((error: Error) => error)
  if (health instanceof Error || !health.ok) {
    console.error(`the platform does not answer at ${baseUrl} (${health instanceof Error ? (health.cause as Error)?.message ?? health.message : health.status}); start it with npm start`)
    return 1
  }

  console.error(`reading ${dataDir}`)
  const t0 = Date.now()
  const dataset =
    datasetName === 'cdnow'
      ? { ...loadCdnow(dataDir), storeName: () => CDNOW_STORE_NAME, swipes: 0, salesTotal: '' }
      : { ...(await loadCompleteJourney(dataDir)), storeName: undefined, swipes: 0, salesTotal: '' }
  dataset.swipes = 'baskets' in dataset.summary ? dataset.summary.baskets : dataset.summary.rows
  dataset.salesTotal = 'salesTotal' in dataset.summary ? dataset.summary.salesTotal : dataset.summary.dollarsTotal
  const summaryText = 'baskets' in dataset.summary ? formatSummary(dataset.summary) : formatCdnowSummary(dataset.summary)
  console.error(`mapped in ${Date.now() - t0} ms:\n${summaryText}`)

  const pg = createPostgres(config.DATABASE_URL, { max: 2 })
  try {
    console.error(`posting ${dataset.swipes.toLocaleString('en-US')} swipes of ${dataset.stores.length} stores to ${baseUrl}`)
    let swipesDone = 0
    const result = await importDataset(createStoresRepo(pg), baseUrl, dataset, {
      concurrency,
      storeName: dataset.storeName,
      onStore: (store, index, of) => {
        swipesDone += store.swipes
        const { accepted, replayed, rejected } = store.report
        if (rejected > 0 || index % 25 === 0 || index === of) {
          console.error(
            `  [${index}/${of}] ${store.code}: ${store.swipes} swipes, accepted ${accepted}, replayed ${replayed}, rejected ${rejected}` +
              ` (${swipesDone.toLocaleString('en-US')} swipes so far)`,
          )
        }
      },
    })
    const seconds = result.elapsedMs / 1000
    const allRecorded = result.rejected === 0 && result.recordedTotal === dataset.salesTotal
    console.log(
      JSON.stringify(
        {
          dataset: datasetName,
          url: baseUrl,
          stores: result.stores.length,
          stores_created: result.storesCreated,
          swipes_posted: result.lines,
          accepted: result.accepted,
          replayed: result.replayed,
          rejected: result.rejected,
          file_sales_total: dataset.salesTotal,
          recorded_total: result.recordedTotal,
          seconds: Number(seconds.toFixed(1)),
          swipes_per_second: Math.round(result.lines / Math.max(seconds, 0.001)),
          summary: dataset.summary,
        },
        null,
        2,
      ),
    )
    for (const rejection of result.rejections.slice(0, 20)) {
      console.error(`  rejected ${rejection.store} line ${rejection.line} ${rejection.txn_id ?? ''}: ${rejection.detail} ${JSON.stringify(rejection.errors)}`)
    }
    if (result.rejections.length > 20 || result.rejectionsTruncated) console.error(`  … ${result.rejected} rejections in all`)
    console.error(allRecorded ? 'import complete: every basket recorded, totals agree' : 'import INCOMPLETE: see rejections above')
    return allRecorded ? 0 : 1
  } finally {
    await pg.close()
  }
}

function fail(message: string): number {
  console.error(`${message}\n\n${USAGE}`)
  return 2
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(1)
    },
  )
}
