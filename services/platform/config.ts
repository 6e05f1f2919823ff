import path from 'node:path'
import { z } from 'zod'

/** Every setting the platform reads from the environment, parsed once at start (STYLE.md §7). */
export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/loyalty'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Unset: embedded ClickHouse (chDB) under DATA_DIR. Set: a ClickHouse server over HTTP. */
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain identifier (lower case, digits, _)')
    .default('loyalty'),
  DATA_DIR: z.string().default(path.resolve('.data')),
  /** How far in the future a till's clock may be before a swipe is refused, in seconds. */
  CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Journal rows shipped to ClickHouse per insert; larger batches are cheaper per row. */
  SHIP_BATCH_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
  /**
   * Pause after shipping less than a full batch, in milliseconds: how long swipes may gather
   * before they are sent to ClickHouse (the most a swipe waits, when the journal keeps up).
   */
  SHIP_IDLE_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>` (set it in production). */
  METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /**
   * Signs staff and member sign-in tokens (HMAC-SHA256). Required in production; elsewhere an
   * unset secret is replaced by a random one per process (tokens then die with the process).
   */
  AUTH_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  /** How long a member's sign-in token lasts, in seconds (short: members sign in on phones). */
  MEMBER_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /** How long a staff sign-in token lasts, in seconds (a working day). */
  STAFF_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(28_800),
  /** Failed sign-ins in a row before an account is locked, and for how long, in seconds. */
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  SIGN_IN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /**
   * Whether swipes earn and reverse points. Off, swipes are still recorded with their cards and
   * members (an analytics-only deployment, and the baseline `npm run bench:members` compares with).
   */
  POINTS_SCORING: z.enum(['on', 'off']).default('on'),
  /** Points expire this many calendar months after they were earned (services/points/lots.ts). */
  POINTS_EXPIRY_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  /**
   * Namespaces every BullMQ key in Redis. Unset: `loyalty-<database name>`, so two platforms
   * (or a test run) sharing one Redis never take each other's jobs.
   */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, _ and - only').optional(),
  /** When the points jobs run: cron patterns in JOBS_TIMEZONE; "off" removes the schedule. */
  EXPIRE_POINTS_CRON: z.string().min(1).default('15 2 * * *'),
  REVIEW_TIERS_CRON: z.string().min(1).default('30 3 1 1,4,7,10 *'),
  JOBS_TIMEZONE: z.string().min(1).default('UTC'),
  /** Members whose expired points one expiry transaction books. */
  EXPIRE_POINTS_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Profiles and RFM (docs/segments.md): when the nightly run starts ("off": no schedule). */
  ANALYTICS_CRON: z.string().min(1).default('0 4 * * *'),
  /** Analytics runs one process works on at once (each is a few heavy ClickHouse statements). */
  ANALYTICS_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(1),
  /** The days of swipes a profile and an RFM score look back over. */
  PROFILE_WINDOW_DAYS: z.coerce.number().int().min(1).max(3_660).default(365),
  RFM_WINDOW_DAYS: z.coerce.number().int().min(1).max(3_660).default(365),
  /** Profile runs kept (older ones are dropped: a profile is read from the newest). */
  PROFILE_KEEP_RUNS: z.coerce.number().int().min(1).max(100).default(2),
  /** RFM snapshots are kept this long, for segment history and migration. */
  RFM_KEEP_DAYS: z.coerce.number().int().min(1).max(36_600).default(730),
  /** CLV (docs/clv.md): the months of value ahead, and the discount rate per month. */
  CLV_HORIZON_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  CLV_MONTHLY_DISCOUNT: z.coerce.number().min(0).max(0.5).default(0.01),
  /** Members whose mean spend the Gamma-Gamma fit reads at most (a fixed sample by member id). */
  CLV_GG_FIT_MEMBERS: z.coerce.number().int().min(100).max(10_000_000).default(500_000),
  /**
   * Campaigns (docs/campaigns.md): the most offers one member gets in 30 days across all
   * campaigns; a campaign may set a lower cap, never a higher one, and gets this one by default.
   */
  CAMPAIGN_FREQUENCY_CAP: z.coerce.number().int().min(1).max(100).default(3),
  /**
   * Treated members a launch issues coupons to per Postgres transaction (docs/campaigns.md
   * "Launch"): each chunk is read from ClickHouse by key (the embedded engine answers a whole
   * result at once), checked for consent, COPYed and committed with how far issuing got. Larger
   * chunks are fewer round trips; smaller ones lose less work to a crash.
   */
  COUPON_ISSUE_CHUNK: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  /** Seconds SIGTERM waits for in-flight work before forcing the exit. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(25),
})
export type Config = z.infer<typeof ConfigSchema>

/** Raised when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {}

/** Parses the environment, failing fast with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means unset (`CLICKHOUSE_URL=` in a compose file: the embedded engine).
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const result = ConfigSchema.safeParse(given)
  if (result.success && result.data.NODE_ENV === 'production' && !result.data.AUTH_SECRET) {
    throw new ConfigError('invalid configuration:\n  AUTH_SECRET: required in production (at least 32 characters)')
  }
  if (result.success) return result.data
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`,
  )
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`)
}
