/**
 * What every processor shares: its dependencies and the payload check. Kept apart from
 * registry.ts, which imports the processors, so nothing imports in a circle.
 */
import { UnrecoverableError } from 'bullmq'
import type { z } from 'zod'
import type { Logger } from '../services/platform/logger'
import type { Postgres } from '../services/platform/postgres'

export interface ProcessorDeps {
  pg: Postgres
  logger: Logger
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
