/** Where the tests find Postgres and Redis (the same defaults as the platform's config). */
export const TEST_PG_SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432'
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * Test databases are named `loyalty_test_p<runner pid>_…`, so concurrent jest runs on one
 * machine never touch each other's, and a run's leftovers can be dropped once its runner is
 * gone. The global setup sets LOYALTY_TEST_RUN for the workers it starts.
 */
export function runPrefix(): string {
  const run = process.env.LOYALTY_TEST_RUN
  if (!run) throw new Error('LOYALTY_TEST_RUN is unset: run the tests through jest (test/global-setup.ts)')
  return `loyalty_test_${run}`
}
export const templateDb = () => `${runPrefix()}_template`

/** Destructive helpers refuse any database whose name does not say it is a test's. */
export function assertTestDatabase(name: string): void {
  if (!/^loyalty_test_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to touch non-test database ${name}`)
}

/** The pid of the jest run that made a test database, from its name. */
export function ownerPid(name: string): number | undefined {
  const match = /^loyalty_test_p(\d+)_/.exec(name)
  return match ? Number(match[1]) : undefined
}
