/**
 * What every processor shares: its dependencies and the payload check. Kept apart from
 * registry.ts, which imports the processors, so nothing imports in a circle.
 */
import { UnrecoverableError } from 'bullmq'
import type { z } from 'zod'
import type { ClickHouse } from '../services/platform/clickhouse'
import type { Config } from '../services/platform/config'
import type { Logger } from '../services/platform/logger'
import type { Postgres } from '../services/platform/postgres'

/** Analytics windows, CLV settings and retention (docs/segments.md, docs/clv.md); the coupon chunk (docs/campaigns.md). */
export type ProcessorConfig = Pick<
  Config,
  | 'PROFILE_WINDOW_DAYS'
  | 'RFM_WINDOW_DAYS'
  | 'PROFILE_KEEP_RUNS'
  | 'RFM_KEEP_DAYS'
  | 'CLV_HORIZON_MONTHS'
  | 'CLV_MONTHLY_DISCOUNT'
  | 'CLV_GG_FIT_MEMBERS'
  | 'COUPON_ISSUE_CHUNK'
>

export interface ProcessorDeps {
  pg: Postgres
  ch: ClickHouse
  logger: Logger
  config: ProcessorConfig
  clock: () => Date
  /** Points expire this many months after they were earned (config POINTS_EXPIRY_MONTHS). */
  expiryMonths: number
  /** Members per expiry transaction. */
  expireBatchSize: number
}

/**
 * The job's data as its schema parses it. A payload that does not parse will never parse,
 * so the job fails at once (UnrecoverableError: no retries) and waits in the failed set.
 */
export function parsePayload<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data ?? {})
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
    throw new UnrecoverableError(`invalid payload: ${problems.join('; ')}`)
  }
  return parsed.data
}
